"""The editorial workflow: who may do what (workflow), every change of an article's
state (services), revisions and their diffs (revisions), and the Writers and
Editors groups (roles)."""
