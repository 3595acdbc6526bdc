"""Where the tests' own files are: the project root, tests/, samples, seeds, fontconfig."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FILES = TESTS / "files"
SEEDS = FILES / "seeds"
FONTCONFIG = TESTS / "fontconfig" / "fonts.conf"
