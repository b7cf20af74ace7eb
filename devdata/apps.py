from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Development and benchmark data, kept out of the product apps: the demo of DESIGN.md §9
    (`seed_demo`, refused when DEBUG is off) and ten years of national data for performance work
    (`generate_load_data`). Nothing in the product imports it."""

    name = "devdata"
