"""The widgets people see: forms that keep drafts and handle conflicts, and the dashboards.

Everything here only renders: figures come computed from :mod:`caseaudit.results`, and every
number a board sees passes through :mod:`caseaudit.disclosure` on its way to the page.
"""
