"""Counted words for the printed reports: "1 day", "2 days", "1 check-in", never "1 days"."""

# Words whose plural is not the word with an "s".
IRREGULAR = {"entry": "entries", "was": "were"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 night", "0 nights", "3 nights"; `many` for a plural that is not word + "s"."""
    return f"{count} {word if count == 1 else (many or IRREGULAR.get(word) or word + 's')}"
