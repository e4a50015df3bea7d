"""The revisions, oldest first: 0001 (backupbot 0.1's schema), 0002 (data, instants, claims),
0003 (incidents)."""
