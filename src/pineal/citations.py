"""The bibliography behind every parameter and evidence item, and the works a run used (`pineal cite`)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pineal.errors import InputError


@dataclass(frozen=True)
class Work:
    key: str
    authors: str
    year: int
    title: str
    journal: str = ""
    doi: str = ""
    url: str = ""
    kind: str = "article"  # article, label, review, book, software
    pmid: str = ""

    def link(self) -> str:
        """The citable link: the DOI, else the PubMed record, else the URL given."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    def short(self) -> str:
        first = self.authors.split(",")[0].split(" and ")[0].strip()
        return f"{first} {self.year}"

    def text(self) -> str:
        where = f" {self.journal}." if self.journal else ""
        link = f" doi:{self.doi}" if self.doi else (f" {self.url}" if self.url else "")
        return f"{self.authors} ({self.year}). {self.title}.{where}{link}"

    def bibtex(self) -> str:
        entry = "article" if self.kind in ("article", "review") else "misc"
        fields = {"author": self.authors, "year": str(self.year), "title": self.title}
        if self.journal:
            fields["journal"] = self.journal
        if self.doi:
            fields["doi"] = self.doi
        if self.pmid:
            fields["pmid"] = self.pmid
        if self.url:
            fields["url"] = self.url
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
        return f"@{entry}{{{self.key},\n{body}\n}}"


@lru_cache(maxsize=1)
def bibliography() -> dict[str, Work]:
    """All works, keyed by citation key (from params/bibliography.toml)."""
    raw = tomllib.loads(resources.files("pineal.params").joinpath("bibliography.toml").read_text("utf-8"))
    return {key: Work(key=key, **fields) for key, fields in raw.items()}


def work(key: str) -> Work:
    bib = bibliography()
    if key not in bib:
        raise InputError("citation", key, f"one of the keys in the bibliography ({len(bib)} works)")
    return bib[key]
