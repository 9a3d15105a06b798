"""Regenerates countries.csv and languages.csv from Debian's iso-codes package."""
import csv
import gettext
import json

ISO = "/usr/share/iso-codes/json"


def catalogue(domain):
    return gettext.translation(domain, "/usr/share/locale", languages=["bg"])


def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name_en", "name_bg"])
        w.writerows(sorted(rows))


bg = catalogue("iso_3166-1")
countries = []
for entry in json.load(open(f"{ISO}/iso_3166-1.json"))["3166-1"]:
    en = entry.get("common_name", entry["name"])
    name_bg = bg.gettext(en)
    if name_bg == en:
        name_bg = bg.gettext(entry["name"])
    countries.append((entry["alpha_2"], en, name_bg))
write("countries.csv", countries)

bg = catalogue("iso_639-3")
languages = [
    (e["alpha_2"], e["name"], bg.gettext(e["name"]))
    for e in json.load(open(f"{ISO}/iso_639-3.json"))["639-3"]
    if "alpha_2" in e
]
write("languages.csv", languages)
