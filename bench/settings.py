"""Benchmark settings: the production settings plus one bare DRF view to compare against."""

from pmladder_api.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
