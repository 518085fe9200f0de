#!/usr/bin/env python3
"""Rebuilds the control catalogs of this folder from their public sources.

    extract-controls.py OSCAL_CONTENT_CHECKOUT PROWLER_CHECKOUT

NIST-800-53-r5.tsv  every control and enhancement of the four NIST SP 800-53B baselines (LOW,
                    MODERATE, HIGH, PRIVACY) as NIST publishes them in OSCAL (usnistgov/oscal-content,
                    nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_<BASELINE>-baseline-resolved-profile_catalog-min.json):
                    the label without a class ("AC-2(3)") and the title; an enhancement's title is
                    written "Control | Enhancement", as SP 800-53 prints it.
CIS-Azure-3.0.0.tsv the recommendation numbers and titles of the CIS Microsoft Azure Foundations
                    Benchmark v3.0.0 as transcribed in prowler-cloud/prowler,
                    prowler/compliance/azure/cis_3.0_azure.json (Requirements[].Id, .Description).
ISO-27001-2022.tsv  the Annex A control numbers only (ISO's titles are not free to copy): A.5.1-A.5.37,
                    A.6.1-A.6.8, A.7.1-A.7.14, A.8.1-A.8.34.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def natural(key):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key)]


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as out:
        for line in header:
            out.write(f"# {line}\n")
        out.write("id\ttitle\n")
        for control_id, title in sorted(rows.items(), key=lambda r: natural(r[0])):
            out.write(f"{control_id}\t{title}\n")


def nist(oscal):
    titles = {}
    version = None
    for baseline in ["LOW", "MODERATE", "HIGH", "PRIVACY"]:
        path = os.path.join(oscal, "nist.gov/SP800-53/rev5/json", f"NIST_SP-800-53_rev5_{baseline}-baseline-resolved-profile_catalog-min.json")
        catalog = json.load(open(path, encoding="utf-8"))["catalog"]
        version = catalog["metadata"]["version"]

        def walk(controls, parent):
            for control in controls:
                label = next(p["value"] for p in control.get("props", []) if p["name"] == "label" and "class" not in p)
                titles[label] = control["title"] if parent is None else f"{parent} | {control['title']}"
                walk(control.get("controls", []), control["title"])

        for group in catalog["groups"]:
            walk(group.get("controls", []), None)
    write(
        "NIST-800-53-r5.tsv",
        [
            "title: NIST SP 800-53 Rev. 5",
            "url: https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
            f"source: NIST OSCAL content (github.com/usnistgov/oscal-content), SP 800-53 Rev. 5 release {version}: the controls and enhancements of the LOW, MODERATE, HIGH and PRIVACY baseline catalogs. Public domain (a work of the US Government).",
            "covers: controls selected by at least one SP 800-53B baseline; others have no title here",
        ],
        titles,
    )


def cis(prowler):
    path = os.path.join(prowler, "prowler/compliance/azure/cis_3.0_azure.json")
    data = json.load(open(path, encoding="utf-8"))
    titles = {r["Id"]: " ".join(r["Description"].split()) for r in data["Requirements"]}
    write(
        "CIS-Azure-3.0.0.tsv",
        [
            "title: CIS Microsoft Azure Foundations Benchmark v3.0.0",
            "url: https://www.cisecurity.org/benchmark/azure",
            "source: recommendation numbers and titles as transcribed from the benchmark in github.com/prowler-cloud/prowler, prowler/compliance/azure/cis_3.0_azure.json (Apache-2.0)",
            "covers: the recommendations listed there (159); an id it lacks has no title here",
        ],
        titles,
    )


def iso():
    ids = {f"A.{theme}.{n}": "" for theme, count in [(5, 37), (6, 8), (7, 14), (8, 34)] for n in range(1, count + 1)}
    write(
        "ISO-27001-2022.tsv",
        [
            "title: ISO/IEC 27001:2022 Annex A",
            "url: https://www.iso.org/standard/27001",
            "source: Annex A numbers its 93 controls in four themes: A.5 organizational (37), A.6 people (8), A.7 physical (14), A.8 technological (34). Titles are ISO's and not reproduced; controls are shown by id.",
            "covers: every Annex A control (ids only)",
        ],
        ids,
    )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    nist(sys.argv[1])
    cis(sys.argv[2])
    iso()
