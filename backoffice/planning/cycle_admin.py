"""Admin for the annual cycle (stages, verification, consistency, monitoring): registered from wagtail_hooks."""
