"""A deterministic synthetic Living Well site for the demo, the tests and the benchmarks."""

from livingwell.core.synthetic.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SIGN_INS, DemoSignIn, demo_sign_in
from livingwell.core.synthetic.generator import (
    SITE_NAME,
    SITE_SLUG,
    BuildResult,
    IncompleteSiteError,
    build_site,
    is_complete,
    site_counts,
)

__all__ = [
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DEMO_SIGN_INS",
    "SITE_NAME",
    "SITE_SLUG",
    "BuildResult",
    "DemoSignIn",
    "IncompleteSiteError",
    "build_site",
    "demo_sign_in",
    "is_complete",
    "site_counts",
]
