"""What an import did: per post type, created, updated, unchanged and skipped with reasons;
and every problem met, counted, with the first few examples of each."""

from collections import Counter, defaultdict

EXAMPLES_PER_KIND = 10


class Report:
    def __init__(self):
        self.outcomes = defaultdict(Counter)
        self.notes = Counter()
        self.examples = defaultdict(list)

    def outcome(self, post_type, outcome):
        """``outcome``: "created", "updated", "unchanged", "recorded" or "skipped: <reason>"."""
        self.outcomes[post_type or "(no type)"][outcome] += 1

    def note(self, kind, example=""):
        """A problem or a decision worth telling: counted by kind, the first examples kept."""
        self.notes[kind] += 1
        if example and len(self.examples[kind]) < EXAMPLES_PER_KIND and example not in self.examples[kind]:
            self.examples[kind].append(example)

    def count(self, post_type, outcome):
        return self.outcomes[post_type][outcome]

    @property
    def total_items(self):
        return sum(sum(counter.values()) for counter in self.outcomes.values())

    def lines(self):
        lines = ["Items by post type:"]
        for post_type in sorted(self.outcomes):
            counter = self.outcomes[post_type]
            parts = ", ".join(f"{outcome} {n}" for outcome, n in sorted(counter.items()))
            lines.append(f"  {post_type}: {sum(counter.values())} ({parts})")
        if self.notes:
            lines.append("Notes:")
            for kind, n in sorted(self.notes.items()):
                lines.append(f"  {kind}: {n}")
                lines.extend(f"    - {example}" for example in self.examples[kind])
                if n > len(self.examples[kind]) and len(self.examples[kind]) == EXAMPLES_PER_KIND:
                    lines.append("    ...")
        return lines
