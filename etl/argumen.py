"""argparse in Indonesian for the command lines (`python -m etl`, `python -m analytics`): help titles, the usage
line and argparse's own error messages; usage errors exit with status 2."""
from __future__ import annotations

import argparse
import re
import sys

USAGE = 2


class Formatter(argparse.HelpFormatter):
    """argparse's help with an Indonesian usage line."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "pemakaian: " if prefix is None else prefix)


# argparse's own messages (Python 3.11–3.13 wording) → Indonesian; anything else is shown as argparse wrote it
MESSAGES = (
    (r"the following arguments are required: (.*)", r"argumen wajib belum diisi: \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)",
     r"argumen \1: pilihan \2 tidak dikenal (pilih: \3)"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"argumen \1: nilai \3 tidak valid"),
    (r"argument (\S+): expected one argument", r"argumen \1: nilainya belum diisi"),
    (r"unrecognized arguments: (.*)", r"argumen tidak dikenal: \1"),
)


class Parser(argparse.ArgumentParser):
    """argparse with its help and usage errors in Indonesian and exit status 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumen"
        self._optionals.title = "pilihan"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="tampilkan bantuan ini lalu keluar")

    def error(self, message: str):
        for pattern, replacement in MESSAGES:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.print_usage(sys.stderr)
        print(f"{self.prog}: perintah tidak valid: {message}", file=sys.stderr)
        sys.exit(USAGE)
