"""Health, judged by policy: the instances and policies the API sends, their cache, the
verdicts (assess), the expected windows (timeline), the model's words (reports) and the
digest. Pure over what was read: it reads no backups itself."""
