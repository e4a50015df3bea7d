"""Restore answers: can an instance be brought back to a moment, and a table with it.

Pure values over what the API says (restorable ranges, tables at a point, backups):
`question.py` what was asked, `point.py` the moment in the asker's zone, `ranges.py`
the restorable ranges, `verdict.py` the answer and `source.py` the reads' port.
"""
