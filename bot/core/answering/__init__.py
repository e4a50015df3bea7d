"""Answering a question: windows in absolute times, the fewest reads, the cache, the
reader both answers and health read through, summaries, the engine."""
