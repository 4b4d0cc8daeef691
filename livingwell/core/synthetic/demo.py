"""The demo sign-ins: one account for each role, and one person with their own account.

All share one password. Site administrators and privacy officers must also give a code from their
authenticator; on the demo, `python manage.py demo_totp EMAIL` prints the current one. The
introducer is a GP at the demo locality's practice, who can see what became of their introductions.
"""

from __future__ import annotations

from dataclasses import dataclass

from livingwell.network.models import TWO_FACTOR_ROLES, Role

DEMO_PASSWORD = "living-well-demo"  # noqa: S105 - published on purpose: demo data only
DEMO_DOMAIN = "demo.livingwell.test"


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    role: Role | None  # None: a person who uses the network, not staff
    label: str
    given_name: str
    family_name: str
    in_team: bool  # a member of the demo locality's team
    gender: str = ""  # accounts.WorkerGender: what people may ask for in a worker
    languages: str = "English"  # the languages they can work in

    @property
    def two_factor(self) -> bool:
        return self.role in TWO_FACTOR_ROLES

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


def _staff(
    local: str,
    role: Role,
    given: str,
    family: str,
    gender: str,
    languages: str = "English",
    *,
    in_team: bool = True,
) -> DemoSignIn:
    return DemoSignIn(f"{local}@{DEMO_DOMAIN}", role, role.label, given, family, in_team, gender, languages)


DEMO_SIGN_INS: tuple[DemoSignIn, ...] = (
    _staff("peer-worker", Role.PEER_WORKER, "Femi", "Adebayo", "man", "English, Yoruba"),
    _staff("recovery-worker", Role.RECOVERY_WORKER, "Rosa", "Martins", "woman", "English, Portuguese"),
    _staff("practitioner", Role.MENTAL_HEALTH_PRACTITIONER, "Priya", "Nair", "woman"),
    _staff("psychologist", Role.PSYCHOLOGIST, "Hannah", "Brooks", "woman"),
    _staff("psychiatrist", Role.PSYCHIATRIST, "Kwame", "Asante", "man", "English, Twi"),
    _staff("social-worker", Role.SOCIAL_WORKER, "Declan", "Murphy", "man"),
    _staff("housing-officer", Role.HOUSING_OFFICER, "Marcia", "Campbell", "woman"),
    _staff("employment-specialist", Role.EMPLOYMENT_SPECIALIST, "Tomasz", "Nowak", "man", "English, Polish"),
    _staff("team-leader", Role.TEAM_LEADER, "Grace", "Okafor", "woman"),
    _staff("coordinator", Role.HUB_COORDINATOR, "Sam", "Whitfield", "woman", in_team=False),
    _staff("analyst", Role.ANALYST, "Mei", "Chen", "woman", "English, Mandarin", in_team=False),
    _staff("admin", Role.SITE_ADMINISTRATOR, "Oliver", "Grant", "man", in_team=False),
    _staff("privacy", Role.PRIVACY_OFFICER, "Nadia", "Rahman", "woman", "English, Bengali", in_team=False),
    # A GP at the demo locality's practice, who introduces people and can see what became of them.
    _staff("introducer", Role.INTRODUCER, "Ruth", "Adeyemi", "woman", in_team=False),
    DemoSignIn(f"person@{DEMO_DOMAIN}", None, "Person using the network", "Jordan", "Clarke", False),
)
# The demo staff work in this locality's team (an index into data.LOCALITIES).
DEMO_LOCALITY = 1


def demo_sign_in(role: Role | None) -> DemoSignIn:
    return next(s for s in DEMO_SIGN_INS if s.role == role)


# The licensed instruments (SWEMWBS, ReQoL-10) never ship their wording. So that their flows can be walked
# on the demo, `seed_demo` loads this placeholder wording, clearly marked, unless a site has loaded real
# wording already (it never replaces it). A real site loads its licensed copy with
# `manage.py load_instrument_text FILE`.
PLACEHOLDER_SOURCE = "Placeholder wording for the demo: not the licensed wording"


def placeholder_wording() -> list[dict[str, object]]:
    """A wording file's contents (see livingwell.outcomes.wording) for each licensed instrument, in placeholder words."""
    from livingwell.outcomes.instruments import all_instruments

    entries: list[dict[str, object]] = []
    for instrument in all_instruments():
        if not instrument.licensed:
            continue
        values = range(min(i.minimum for i in instrument.items), max(i.maximum for i in instrument.items) + 1)
        entries.append(
            {
                "instrument": instrument.code,
                "version": instrument.version,
                "source": PLACEHOLDER_SOURCE,
                "title": f"{instrument.name} (placeholder wording)",
                "instructions": (
                    "This is placeholder wording for the demo, not the licensed wording. A real site loads its "
                    "licensed wording with manage.py load_instrument_text."
                ),
                "items": {
                    str(item.position): f"Placeholder statement {item.position} – load your licensed wording"  # noqa: RUF001
                    for item in instrument.items
                },
                "options": {str(value): f"Placeholder response {value}" for value in values},
            }
        )
    return entries
