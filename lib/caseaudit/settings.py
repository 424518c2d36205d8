"""Every path and setting the workbook uses, in one place.

Paths derive from the project folder (found from this file, never from the working directory:
Voila and nbval start kernels in the notebook's own folder), and environment variables override
them so that the demo, the tests and real work never share a database by accident.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
BUILTIN_FRAMEWORKS_DIR = PACKAGE_DIR / "frameworks"

DB_ENV = "CASEAUDIT_DB"
AUDITS_ENV = "CASEAUDIT_AUDITS"
FRAMEWORKS_ENV = "CASEAUDIT_FRAMEWORKS"
#: Where inspections (inspections/<id>/inspection.yaml and its action plan) are kept.
INSPECTIONS_ENV = "CASEAUDIT_INSPECTIONS"
#: The day the action plan's overdue and due-soon figures are counted against (ISO date); unset,
#: today. Tests and demonstrations fix it so that "overdue" does not move with the calendar.
TODAY_ENV = "CASEAUDIT_TODAY"
#: A folder for computed results shared between processes (see :func:`cache_dir`).
CACHE_ENV = "CASEAUDIT_CACHE"
#: The folder holding the demo partnership (demo.db and demo/audits): data/ unless set, so a
#: test can run the README's commands, as written, on a demo of its own.
DEMO_HOME_ENV = "CASEAUDIT_DEMO_HOME"

#: The small file remembering who the auditor is between notebook sessions (a path; else
#: ~/.config/caseaudit/auditor.json), so the tests never touch a person's own.
SETTINGS_ENV = "CASEAUDIT_SETTINGS"
#: Set (to anything) when a form is served as a web app: there is no settings file to remember
#: the auditor in, the address names them instead, and the save bar stays at the window's foot.
WEB_APP_ENV = "CASEAUDIT_WEB_APP"
#: Set by JupyterHub to the person logged in: on a shared server it names the auditor.
HUB_USER_ENV = "JUPYTERHUB_USER"
#: The people file: who may sign in to a shared server and as what (see caseaudit.people).
PEOPLE_ENV = "CASEAUDIT_PEOPLE"
#: A database login's new password for `caseaudit db-roles --set-password` (else standard input,
#: else a prompt): a command line is public.
NEW_PASSWORD_ENV = "CASEAUDIT_NEW_PASSWORD"
#: The page's query string, where Voila passes it through the environment (a kernel that was
#: not preheated).
QUERY_STRING_ENV = "QUERY_STRING"
#: Set by Voila ("True") in a kernel it started for its pool, ahead of any request.
PREHEAT_ENV = "VOILA_PREHEAT"
#: The server's token comes from here, through the environment: a command line is public.
TOKEN_ENV = "VOILA_TOKEN"
#: How many kernels (one per open page) a server keeps at once; see caseaudit.voila_app.
MAX_KERNELS_ENV = "CASEAUDIT_MAX_KERNELS"
#: The port `make demo`, `make auditor` and `make moderation` serve on (default 8866).
PORT_ENV = "PORT"

DEFAULT_DB_PATH = PROJECT_DIR / "data" / "workbook.db"
DEFAULT_AUDITS_DIR = PROJECT_DIR / "audits"
DEFAULT_PEOPLE_PATH = PROJECT_DIR / "deploy" / "people.yaml"
_DEMO_HOME = Path(os.environ.get(DEMO_HOME_ENV) or PROJECT_DIR / "data").expanduser().resolve()
DEMO_DIR = _DEMO_HOME / "demo"
DEMO_DB_PATH = _DEMO_HOME / "demo.db"
DEMO_AUDITS_DIR = DEMO_DIR / "audits"
DEMO_INSPECTIONS_DIR = DEMO_DIR / "inspections"

#: Counts from 1 to this number are shown as ``c`` on dashboards and exports (DfE convention),
#: unless ``CASEAUDIT_SUPPRESSION_THRESHOLD`` says otherwise (see :func:`suppression_threshold`).
SUPPRESSION_THRESHOLD = 5
#: A partnership whose information-sharing agreement asks for more (some use 10) sets this.
SUPPRESSION_THRESHOLD_ENV = "CASEAUDIT_SUPPRESSION_THRESHOLD"

#: The longest evidence note, in characters, in a form or an Excel return: about two pages, far
#: more than a criterion's evidence needs, and a bound on what one note can cost the store, the
#: forms and the exports.
NOTE_MAX_CHARS = 5_000


def too_long(text: str, what: str) -> str | None:
    """Why ``text`` (``what`` it is: "the evidence note", "the rationale") is over the note cap,
    or ``None``: the one wording of the one rule for every free-text field a person fills in."""
    if len(text) <= NOTE_MAX_CHARS:
        return None
    return (f"{what} is {len(text):,} characters long, more than the {NOTE_MAX_CHARS:,} a note "
            "may hold; shorten it")


def whole_number_from_environment(name: str, default: int, meaning: str) -> int:
    """The environment variable ``name`` as a whole number of at least 1, else ``default``. A
    value that is not one is refused with a sentence saying what it is for (``meaning``), never
    quietly replaced by the default: a cap or a threshold the partnership set must hold."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        from .errors import WorkbookError

        raise WorkbookError(f"{name} is {raw!r}: set it to a whole number of at least 1 "
                            f"({meaning}), or unset it for {default}.")
    return value


def suppression_threshold() -> int:
    """The largest count shown as ``c``: ``CASEAUDIT_SUPPRESSION_THRESHOLD``, else
    :data:`SUPPRESSION_THRESHOLD`. Read at each use, so every kernel a server starts follows the
    server's setting; a bad value is refused, since quietly falling back would show a board counts
    its partnership agreed to hide."""
    return whole_number_from_environment(SUPPRESSION_THRESHOLD_ENV, SUPPRESSION_THRESHOLD,
                                         "the largest count shown as c")


def database_url(value: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL of the store: ``value``, else ``CASEAUDIT_DB``, else data/workbook.db.

    A plain path becomes a SQLite URL, so users can write ``CASEAUDIT_DB=~/audit.db``. A plain
    ``postgresql://`` (or Heroku-style ``postgres://``) URL gets the driver the ``postgres`` extra
    installs (psycopg 3), since SQLAlchemy's own default driver for it differs between versions.
    """
    raw = os.fspath(value) if value is not None else os.environ.get(DB_ENV) or DEFAULT_DB_PATH
    raw = os.fspath(raw)
    for bare in ("postgresql://", "postgres://"):
        if raw.startswith(bare):
            return "postgresql+psycopg://" + raw.removeprefix(bare)
    if "://" in raw:
        return raw
    return f"sqlite:///{Path(raw).expanduser().resolve()}"


def audits_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """The folder of audit rounds: ``value``, else ``CASEAUDIT_AUDITS``, else audits/."""
    raw = value if value is not None else os.environ.get(AUDITS_ENV) or DEFAULT_AUDITS_DIR
    return Path(raw).expanduser().resolve()


def inspections_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """The folder of inspections: ``value``, else ``CASEAUDIT_INSPECTIONS``, else the folder
    ``inspections`` beside the audits folder (audits/ -> inspections/, data/demo/audits ->
    data/demo/inspections), since an inspection's plan is measured by those rounds."""
    raw = value if value is not None else os.environ.get(INSPECTIONS_ENV)
    if raw:
        return Path(raw).expanduser().resolve()
    return audits_dir().parent / "inspections"


def today() -> date:
    """The day progress is counted against: ``CASEAUDIT_TODAY`` (an ISO date), else today. A
    value that is not a date is refused with a sentence, never replaced by today's date."""
    raw = os.environ.get(TODAY_ENV, "").strip()
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        from .errors import WorkbookError

        raise WorkbookError(f"{TODAY_ENV} is {raw!r}: set it to a date written as YYYY-MM-DD "
                            "(e.g. 2026-11-27), or unset it for today.") from None


def framework_dirs() -> list[Path]:
    """Where frameworks are looked up: ``CASEAUDIT_FRAMEWORKS`` (os.pathsep-separated) first,
    then the built-in ones, so a partnership can add its own without touching the package."""
    extra = os.environ.get(FRAMEWORKS_ENV, "")
    dirs = [Path(p).expanduser().resolve() for p in extra.split(os.pathsep) if p]
    return [*dirs, BUILTIN_FRAMEWORKS_DIR]


def cache_dir(sqlite_file: str | os.PathLike[str] | None) -> Path:
    """Where computed results are kept for the next process (every Voila page view is a kernel of
    its own): ``CASEAUDIT_CACHE``, else beside the SQLite database file (``demo.db`` keeps its
    results in ``demo.db.cache/``), else data/cache/ for a server database."""
    if raw := os.environ.get(CACHE_ENV):
        return Path(raw).expanduser().resolve()
    if sqlite_file is not None:
        database = Path(sqlite_file).expanduser().resolve()
        return database.parent / f"{database.name}.cache"
    return PROJECT_DIR / "data" / "cache"


#: The partnership's name, which the committee report puts at its top (e.g. "Oxfordshire
#: Safeguarding Children Partnership"); a round's files do not carry it, since every round of a
#: workbook is the same partnership's.
PARTNERSHIP_ENV = "CASEAUDIT_PARTNERSHIP"
DEFAULT_PARTNERSHIP = "Safeguarding Children Partnership"


def partnership_name() -> str:
    """The partnership's name: ``CASEAUDIT_PARTNERSHIP``, else a neutral default."""
    return os.environ.get(PARTNERSHIP_ENV, "").strip() or DEFAULT_PARTNERSHIP


#: The board's dashboards (the notebooks in notebooks/dashboards/), the overview first, and their
#: names in the links at the top of each: a board member opens one address and finds the others.
DASHBOARDS = (("partnership_overview.ipynb", "Overview"), ("trends.ipynb", "Trends"),
              ("equality.ipynb", "Equality"), ("action_plan.ipynb", "Action plan"),
              ("practice_week.ipynb", "Practice week"))
