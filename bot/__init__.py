"""backupbot: answers "what happened to our database backups?" for Huawei Cloud TaurusDB."""

__version__ = "0.1.0"
