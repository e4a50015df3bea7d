"""The pure core, in three rooms over the values they share (this package's modules):
`language` (words into values and back), `health` (verdicts by policy, pure over what
was read) and `answering` (windows, the fewest reads, the cache, the reader, the engine).

Nothing here imports Slack, HTTP or storage libraries; adapters import the core.
"""
