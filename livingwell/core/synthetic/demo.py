"""The demo sign-ins: one account for each role, and one person with their own account.

All share one password. Site administrators and privacy officers must also give a code from their
authenticator; on the demo, `python manage.py demo_totp EMAIL` prints the current one.
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

    @property
    def two_factor(self) -> bool:
        return self.role in TWO_FACTOR_ROLES

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


def _staff(local: str, role: Role, given: str, family: str, *, in_team: bool = True) -> DemoSignIn:
    return DemoSignIn(f"{local}@{DEMO_DOMAIN}", role, role.label, given, family, in_team)


DEMO_SIGN_INS: tuple[DemoSignIn, ...] = (
    _staff("peer-worker", Role.PEER_WORKER, "Femi", "Adebayo"),
    _staff("recovery-worker", Role.RECOVERY_WORKER, "Rosa", "Martins"),
    _staff("practitioner", Role.MENTAL_HEALTH_PRACTITIONER, "Priya", "Nair"),
    _staff("psychologist", Role.PSYCHOLOGIST, "Hannah", "Brooks"),
    _staff("psychiatrist", Role.PSYCHIATRIST, "Kwame", "Asante"),
    _staff("social-worker", Role.SOCIAL_WORKER, "Declan", "Murphy"),
    _staff("housing-officer", Role.HOUSING_OFFICER, "Marcia", "Campbell"),
    _staff("employment-specialist", Role.EMPLOYMENT_SPECIALIST, "Tomasz", "Nowak"),
    _staff("team-leader", Role.TEAM_LEADER, "Grace", "Okafor"),
    _staff("coordinator", Role.HUB_COORDINATOR, "Sam", "Whitfield", in_team=False),
    _staff("analyst", Role.ANALYST, "Mei", "Chen", in_team=False),
    _staff("admin", Role.SITE_ADMINISTRATOR, "Oliver", "Grant", in_team=False),
    _staff("privacy", Role.PRIVACY_OFFICER, "Nadia", "Rahman", in_team=False),
    DemoSignIn(f"person@{DEMO_DOMAIN}", None, "Person using the network", "Jordan", "Clarke", False),
)
# The demo staff work in this locality's team (an index into data.LOCALITIES).
DEMO_LOCALITY = 1


def demo_sign_in(role: Role | None) -> DemoSignIn:
    return next(s for s in DEMO_SIGN_INS if s.role == role)
