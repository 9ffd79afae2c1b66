"""The README's own commands, read out of README.md, for the checks that run them (walkthrough.py, proxies.py): what
a reader copies is exactly what is tested."""

import os
import re

from harness import REPO

README = os.path.join(REPO, "README.md")


def section(title):
    """The text of the `## title` section, up to the next `## ` heading."""
    with open(README) as f:
        text = f.read()
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if not match:
        raise LookupError(f"README.md has no section “{title}”")
    return match.group(1)


def code_blocks(text, language):
    """Every fenced ```language block in `text`, in order."""
    return re.findall(rf"^```{re.escape(language)}\n(.*?)^```$", text, re.S | re.M)


def fill(block, replacements):
    """`block` with each placeholder replaced; a placeholder that is not there is an error, so a README edit that
    drops one fails the check instead of quietly testing something else."""
    for placeholder, value in replacements.items():
        if placeholder not in block:
            raise LookupError(f"placeholder {placeholder!r} not found in:\n{block}")
        block = block.replace(placeholder, value)
    return block
