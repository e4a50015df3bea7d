"""Block Kit for every message backupbot sends, one module per kind of message.

Pure functions from typed answers to views, built from the bricks of bot/slack/blocks.py:
results (an answer, and one backup in full), notices (help, mistakes, failures), the
fleet's health, digests, alerts, the App Home tab and the lines that describe digests
and watches.
"""
