"""The widgets: the forms people fill in, the dashboards the partnership reads, and their kit."""
