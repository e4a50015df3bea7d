"""Fakes that tests and bench/ both use: the fake Slack and its Block Kit checks."""
