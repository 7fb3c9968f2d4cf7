"""The summary both commands end with."""


def summary_lines(counts, *, media_files, media_bytes, seconds, verb):
    """Rows per model (in import order), then the totals."""
    width = max((len(label) for label in counts), default=0)
    lines = ["", "Summary:"]
    lines += [f"  {label:<{width}}  {count:>12,}" for label, count in counts.items()]
    lines.append(f"  {'media files':<{width}}  {media_files:>12,}  ({media_bytes / 1e6:,.1f} MB)")
    lines.append(
        f"{verb} {sum(counts.values()):,} rows of {len(counts)} models and {media_files:,} media files "
        f"in {seconds:,.1f} s."
    )
    return lines
