"""The pure core: query language, planning, caching and summaries.

Nothing here imports Slack, HTTP or storage libraries; adapters import the core.
"""
