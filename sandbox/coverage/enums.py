from enum import StrEnum


class Tier(StrEnum):
    BRONZE = "bronze"
    PRATA = "prata"
    OURO = "ouro"

    @property
    def rank(self) -> int:
        """Higher tiers reach every provider of the lower ones."""
        return list(Tier).index(self) + 1


class Contract(StrEnum):
    INDIVIDUAL = "individual"
    COMPANY = "company"
