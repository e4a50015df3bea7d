"""The language: words into values and back (lexicon, parse, window grammar, commands,
the canonical form). It knows nothing of reads, answers or health."""
