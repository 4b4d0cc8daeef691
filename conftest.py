"""Shared test fixtures (the access cast and factories) for every test directory."""

pytest_plugins = ["livingwell.testing"]
