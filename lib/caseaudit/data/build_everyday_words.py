"""Rebuild everyday_words.txt, the English words the note privacy guard weighs names against.

Why a frozen list: the guard must tell "Hope" the name from "hope" the word, and "Mother Present"
from "mother Zanele". For that it needs the words English writes in lower case. SCOWL's British
English list (Debian package ``wbritish``) keeps proper nouns capitalised and common words in
lower case, so its lower-case entries are exactly that; no Python package ships such a list
without also shipping a large runtime (wordfreq and english-words lower-case everything, which
loses the one thing needed). The list is data, reviewed as a diff, and changes only when this
script is run again.

To rebuild (on Debian or Ubuntu):

    apt-get install wbritish          # 2020.12.07-2 built the current file
    .venv/bin/python lib/caseaudit/data/build_everyday_words.py

SCOWL's copyright and permission notice is kept beside the list in everyday_words.license.txt, as
its licence asks.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

SOURCE = Path("/usr/share/dict/british-english")
NOTICE = Path("/usr/share/doc/wbritish/copyright")
HERE = Path(__file__).parent


def main() -> None:
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "wbritish"], check=True,
                             capture_output=True, text=True).stdout.strip()
    words = sorted({w for w in SOURCE.read_text(encoding="utf-8").split()
                    if re.fullmatch(r"[a-z]+", w)})
    header = [
        "# Everyday English words (lower case), for the note privacy guard: a first name that is also",
        "# one of these (Will, May, Grace) needs more than its capital letter to count as a name.",
        f"# From SCOWL's British English list, Debian wbritish {version}; rebuilt by",
        "# build_everyday_words.py. Copyright and permission: everyday_words.license.txt.",
    ]
    (HERE / "everyday_words.txt").write_text("\n".join(header + words) + "\n", encoding="utf-8")
    shutil.copyfile(NOTICE, HERE / "everyday_words.license.txt")
    print(f"{len(words)} words from wbritish {version}")


if __name__ == "__main__":
    main()
