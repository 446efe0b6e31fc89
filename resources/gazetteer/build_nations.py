"""Regenerate ``nations.json`` from pycountry plus the hand-written tables below.

Run once by hand (``pip install pycountry``); the app reads only the JSON file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pycountry

# Canonical short names where the ISO name is awkward ("Korea, Republic of").
RENAME = {
    "Bolivia, Plurinational State of": "Bolivia",
    "Congo, The Democratic Republic of the": "Democratic Republic of the Congo",
    "Congo": "Republic of the Congo",
    "Micronesia, Federated States of": "Micronesia",
    "Iran, Islamic Republic of": "Iran",
    "Korea, Republic of": "South Korea",
    "Korea, Democratic People's Republic of": "North Korea",
    "Lao People's Democratic Republic": "Laos",
    "Moldova, Republic of": "Moldova",
    "Palestine, State of": "Palestine",
    "Russian Federation": "Russia",
    "Syrian Arab Republic": "Syria",
    "Taiwan, Province of China": "Taiwan",
    "Tanzania, United Republic of": "Tanzania",
    "Venezuela, Bolivarian Republic of": "Venezuela",
    "Viet Nam": "Vietnam",
    "Holy See (Vatican City State)": "Vatican City",
    "Türkiye": "Turkey",
    "Brunei Darussalam": "Brunei",
    "Falkland Islands (Malvinas)": "Falkland Islands",
    "Cabo Verde": "Cape Verde",
    "Czechia": "Czech Republic",
    "Timor-Leste": "East Timor",
}
SKIP_ISO = {  # dependencies and oddities whose names are mostly places, not states
    "Bonaire, Sint Eustatius and Saba",
    "Cocos (Keeling) Islands",
    "Saint Martin (French part)",
    "Sint Maarten (Dutch part)",
    "Virgin Islands, British",
    "Virgin Islands, U.S.",
    "United States Minor Outlying Islands",
    "Heard Island and McDonald Islands",
    "South Georgia and the South Sandwich Islands",
    "Saint Helena, Ascension and Tristan da Cunha",
    "Svalbard and Jan Mayen",
    "French Southern Territories",
    "British Indian Ocean Territory",
    "Bouvet Island",
    "Christmas Island",
    "Norfolk Island",
    "Pitcairn",
    "Antarctica",
    "Åland Islands",
    "Tokelau",
    "Wallis and Futuna",
    "Mayotte",
    "Réunion",
    "Guadeloupe",
    "Martinique",
    "French Guiana",
    "Saint Pierre and Miquelon",
    "Saint Barthélemy",
    "Niue",
    "Montserrat",
    "Anguilla",
    "Turks and Caicos Islands",
    "Cayman Islands",
    "Western Sahara",
}
# Short names that are far more often a person or a common word: kept only in longer forms.
AMBIGUOUS = {
    "Chad",
    "Jordan",
    "Togo",
    "Georgia",
    "Niger",
    "Guinea",
    "Turkey",
    "Jersey",
    "Guernsey",
    "Dominica",
    "Man",
}

# name: (adjectives, extra aliases, plural nouns for people)
EXTRA: dict[str, tuple[list[str], list[str], list[str]]] = {
    "Afghanistan": (["Afghan"], [], []),
    "Albania": (["Albanian"], [], []),
    "Algeria": (["Algerian"], [], []),
    "Andorra": (["Andorran"], [], []),
    "Angola": (["Angolan"], [], []),
    "Argentina": (["Argentine", "Argentinian"], [], []),
    "Armenia": (["Armenian"], [], []),
    "Australia": (["Australian"], [], ["Aussies"]),
    "Austria": (["Austrian"], [], []),
    "Azerbaijan": (["Azerbaijani"], [], []),
    "Bahrain": (["Bahraini"], [], []),
    "Bangladesh": (["Bangladeshi"], [], []),
    "Belarus": (["Belarusian"], ["Byelorussia", "Belorussia"], []),
    "Belgium": (["Belgian"], [], []),
    "Bolivia": (["Bolivian"], [], []),
    "Bosnia and Herzegovina": (["Bosnian"], ["Bosnia"], []),
    "Brazil": (["Brazilian"], [], []),
    "Bulgaria": (["Bulgarian"], [], []),
    "Cambodia": (["Cambodian"], ["Kampuchea"], []),
    "Cameroon": (["Cameroonian"], [], []),
    "Canada": (["Canadian"], [], []),
    "Chile": (["Chilean"], [], []),
    "China": (
        ["Chinese"],
        ["PRC", "People's Republic of China", "Red China", "Communist China"],
        [],
    ),
    "Colombia": (["Colombian"], [], []),
    "Croatia": (["Croatian"], [], ["Croats"]),
    "Cuba": (["Cuban"], [], []),
    "Cyprus": (["Cypriot"], [], []),
    "Czech Republic": (["Czech"], ["Czechia"], []),
    "Denmark": (["Danish"], [], ["Danes"]),
    "Ecuador": (["Ecuadorian"], [], []),
    "Egypt": (["Egyptian"], [], []),
    "Estonia": (["Estonian"], [], []),
    "Ethiopia": (["Ethiopian"], ["Abyssinia"], []),
    "Finland": (["Finnish"], [], ["Finns"]),
    "France": (["French"], ["French Republic"], ["Frenchmen"]),
    "Germany": (
        ["German"],
        ["Third Reich", "Nazi Germany", "German Reich", "Federal Republic of Germany", "Reich"],
        ["Huns", "Boche", "Krauts", "Jerries"],
    ),
    "Greece": (["Greek"], ["Hellenic Republic"], []),
    "Hungary": (["Hungarian"], [], []),
    "Iceland": (["Icelandic"], [], ["Icelanders"]),
    "India": (["Indian"], [], []),
    "Indonesia": (["Indonesian"], [], []),
    "Iran": (["Iranian", "Persian"], ["Persia"], []),
    "Iraq": (["Iraqi"], [], []),
    "Ireland": (["Irish"], ["Eire"], ["Irishmen"]),
    "Israel": (["Israeli"], ["State of Israel"], []),
    "Italy": (["Italian"], ["Kingdom of Italy"], []),
    "Japan": (["Japanese"], ["Empire of Japan", "Imperial Japan", "Nippon"], []),
    "Jordan": (["Jordanian"], ["Kingdom of Jordan"], []),
    "Kazakhstan": (["Kazakh"], [], []),
    "Kenya": (["Kenyan"], [], []),
    "Kuwait": (["Kuwaiti"], [], []),
    "Laos": (["Laotian"], [], []),
    "Latvia": (["Latvian"], [], []),
    "Lebanon": (["Lebanese"], [], []),
    "Libya": (["Libyan"], [], []),
    "Lithuania": (["Lithuanian"], [], []),
    "Luxembourg": ([], [], []),
    "Malaysia": (["Malaysian"], ["Malaya"], []),
    "Mexico": (["Mexican"], [], []),
    "Mongolia": (["Mongolian"], ["Mongolian People's Republic"], []),
    "Morocco": (["Moroccan"], [], []),
    "Myanmar": (["Burmese"], ["Burma"], []),
    "Nepal": (["Nepalese", "Nepali"], [], []),
    "Netherlands": (["Dutch"], ["Holland", "Kingdom of the Netherlands"], ["Dutchmen"]),
    "New Zealand": ([], [], ["New Zealanders", "Kiwis"]),
    "Nigeria": (["Nigerian"], [], []),
    "North Korea": (["North Korean"], ["DPRK", "Democratic People's Republic of Korea"], []),
    "Norway": (["Norwegian"], [], []),
    "Pakistan": (["Pakistani"], [], []),
    "Panama": (["Panamanian"], [], []),
    "Paraguay": (["Paraguayan"], [], []),
    "Peru": (["Peruvian"], [], []),
    "Philippines": (["Philippine", "Filipino"], [], []),
    "Poland": (["Polish"], ["Republic of Poland"], ["Poles"]),
    "Portugal": (["Portuguese"], [], []),
    "Qatar": (["Qatari"], [], []),
    "Romania": (["Romanian"], ["Rumania"], []),
    "Russia": (["Russian"], ["Russian Federation"], []),
    "Saudi Arabia": (["Saudi"], [], []),
    "Serbia": (["Serbian"], ["Kingdom of Serbia"], ["Serbs"]),
    "Singapore": (["Singaporean"], [], []),
    "Slovakia": (["Slovak", "Slovakian"], [], []),
    "Slovenia": (["Slovenian", "Slovene"], [], []),
    "South Africa": (["South African"], [], []),
    "South Korea": (["Korean", "South Korean"], ["Republic of Korea", "ROK", "Korea"], []),
    "Spain": (["Spanish"], ["Kingdom of Spain"], ["Spaniards"]),
    "Sri Lanka": (["Sri Lankan"], ["Ceylon"], []),
    "Sudan": (["Sudanese"], [], []),
    "Sweden": (["Swedish"], [], ["Swedes"]),
    "Switzerland": (["Swiss"], [], []),
    "Syria": (["Syrian"], [], []),
    "Taiwan": (["Taiwanese"], ["Formosa"], []),
    "Thailand": (["Thai"], ["Siam"], []),
    "Tunisia": (["Tunisian"], [], []),
    "Turkey": (["Turkish"], ["Republic of Turkey", "Türkiye"], ["Turks"]),
    "Ukraine": (["Ukrainian"], [], []),
    "United Kingdom": (
        ["British"],
        ["Britain", "Great Britain", "UK", "U.K."],
        ["Britons", "Brits", "Tommies"],
    ),
    "United States": (
        ["American"],
        ["United States of America", "USA", "U.S.A.", "U.S.", "US", "America"],
        ["Yanks"],
    ),
    "Uruguay": (["Uruguayan"], [], []),
    "Venezuela": (["Venezuelan"], [], []),
    "Vietnam": (["Vietnamese"], ["Viet Nam"], []),
    "Yemen": (["Yemeni"], [], []),
    "Zimbabwe": (["Zimbabwean"], ["Rhodesia"], []),
    "Georgia": (["Georgian"], [], []),
    "Moldova": (["Moldovan"], [], []),
    "Uzbekistan": (["Uzbek"], [], []),
    "Tajikistan": (["Tajik"], [], []),
    "Turkmenistan": (["Turkmen"], [], []),
    "Kyrgyzstan": (["Kyrgyz"], [], []),
    "Malta": (["Maltese"], [], []),
    "Guatemala": (["Guatemalan"], [], []),
    "Honduras": (["Honduran"], [], []),
    "Nicaragua": (["Nicaraguan"], [], []),
    "El Salvador": (["Salvadoran"], [], []),
    "Costa Rica": (["Costa Rican"], [], []),
    "Haiti": (["Haitian"], [], []),
    "Jamaica": (["Jamaican"], [], []),
    "Dominican Republic": (["Dominican"], [], []),
    "Ghana": (["Ghanaian"], [], []),
    "Senegal": (["Senegalese"], [], []),
    "Somalia": (["Somali"], [], []),
    "Uganda": (["Ugandan"], [], []),
    "Tanzania": (["Tanzanian"], [], []),
    "Rwanda": (["Rwandan"], [], []),
    "Zambia": (["Zambian"], [], []),
    "Mozambique": (["Mozambican"], [], []),
    "Madagascar": (["Malagasy"], [], []),
    "Sierra Leone": (["Sierra Leonean"], [], []),
    "Liberia": (["Liberian"], [], []),
    "Mali": (["Malian"], [], []),
    "North Macedonia": (["Macedonian"], ["Macedonia"], []),
    "Montenegro": (["Montenegrin"], [], []),
    "Oman": (["Omani"], [], []),
    "United Arab Emirates": (["Emirati"], ["UAE"], []),
    "Brunei": (["Bruneian"], [], []),
    "East Timor": (["Timorese"], ["Timor-Leste"], []),
    "Bhutan": (["Bhutanese"], [], []),
    "Eritrea": (["Eritrean"], [], []),
}

HISTORICAL: list[dict] = [
    {
        "name": "Soviet Union",
        "aliases": ["USSR", "U.S.S.R.", "Union of Soviet Socialist Republics", "Soviet Russia"],
        "adjectives": ["Soviet"],
        "people": [],
    },
    {
        "name": "Prussia",
        "aliases": ["Kingdom of Prussia"],
        "adjectives": ["Prussian"],
        "people": [],
    },
    {
        "name": "Austria-Hungary",
        "aliases": ["Austro-Hungarian Empire", "Dual Monarchy", "Habsburg Empire"],
        "adjectives": ["Austro-Hungarian"],
        "people": [],
    },
    {
        "name": "Ottoman Empire",
        "aliases": ["Ottoman Turkey", "Sublime Porte"],
        "adjectives": ["Ottoman"],
        "people": [],
    },
    {
        "name": "Manchukuo",
        "aliases": ["Manchoukuo", "Empire of Manchuria"],
        "adjectives": [],
        "people": [],
    },
    {
        "name": "Russian Empire",
        "aliases": ["Imperial Russia", "Tsarist Russia"],
        "adjectives": ["Tsarist"],
        "people": [],
    },
    {
        "name": "Czechoslovakia",
        "aliases": [],
        "adjectives": ["Czechoslovak", "Czechoslovakian"],
        "people": [],
    },
    {
        "name": "Yugoslavia",
        "aliases": ["Kingdom of Yugoslavia"],
        "adjectives": ["Yugoslav", "Yugoslavian"],
        "people": [],
    },
    {
        "name": "East Germany",
        "aliases": ["German Democratic Republic", "GDR", "DDR"],
        "adjectives": ["East German"],
        "people": ["East Germans"],
    },
    {
        "name": "West Germany",
        "aliases": ["FRG"],
        "adjectives": ["West German"],
        "people": ["West Germans"],
    },
    {
        "name": "Republic of China",
        "aliases": ["Nationalist China", "ROC"],
        "adjectives": [],
        "people": [],
    },
    {
        "name": "Qing China",
        "aliases": ["Qing Empire", "Qing dynasty"],
        "adjectives": ["Qing"],
        "people": [],
    },
    {"name": "Vichy France", "aliases": ["French State"], "adjectives": [], "people": []},
    {"name": "Free France", "aliases": [], "adjectives": ["Free French"], "people": []},
    {
        "name": "South Vietnam",
        "aliases": ["Republic of Vietnam"],
        "adjectives": ["South Vietnamese"],
        "people": [],
    },
    {
        "name": "North Vietnam",
        "aliases": ["Democratic Republic of Vietnam"],
        "adjectives": ["North Vietnamese"],
        "people": [],
    },
    {"name": "Mengjiang", "aliases": ["Mengkukuo"], "adjectives": [], "people": []},
    {
        "name": "Confederate States",
        "aliases": ["Confederate States of America", "Confederacy"],
        "adjectives": ["Confederate"],
        "people": [],
    },
    {"name": "Holy Roman Empire", "aliases": [], "adjectives": [], "people": []},
    {
        "name": "Byzantine Empire",
        "aliases": ["Byzantium"],
        "adjectives": ["Byzantine"],
        "people": [],
    },
    {
        "name": "Kingdom of Sardinia",
        "aliases": ["Piedmont-Sardinia"],
        "adjectives": ["Sardinian"],
        "people": [],
    },
    {
        "name": "Kingdom of the Two Sicilies",
        "aliases": ["Two Sicilies"],
        "adjectives": [],
        "people": [],
    },
    {"name": "Papal States", "aliases": [], "adjectives": [], "people": []},
    {
        "name": "Bavaria",
        "aliases": ["Kingdom of Bavaria"],
        "adjectives": ["Bavarian"],
        "people": [],
    },
    {"name": "Saxony", "aliases": ["Kingdom of Saxony"], "adjectives": ["Saxon"], "people": []},
    {"name": "Korean Empire", "aliases": ["Joseon"], "adjectives": [], "people": []},
    {"name": "Tibet", "aliases": [], "adjectives": ["Tibetan"], "people": []},
    {"name": "Hawaii", "aliases": ["Kingdom of Hawaii"], "adjectives": ["Hawaiian"], "people": []},
    {
        "name": "England",
        "aliases": ["Kingdom of England"],
        "adjectives": ["English"],
        "people": ["Englishmen"],
    },
    {
        "name": "Scotland",
        "aliases": ["Kingdom of Scotland"],
        "adjectives": ["Scottish"],
        "people": ["Scots"],
    },
    {"name": "Wales", "aliases": [], "adjectives": ["Welsh"], "people": []},
    {
        "name": "Venice",
        "aliases": ["Republic of Venice", "Venetian Republic"],
        "adjectives": ["Venetian"],
        "people": [],
    },
    {"name": "Zaire", "aliases": ["Republic of Zaire"], "adjectives": ["Zairean"], "people": []},
    {"name": "Dahomey", "aliases": [], "adjectives": [], "people": []},
    {"name": "Upper Volta", "aliases": [], "adjectives": [], "people": []},
    {"name": "Serbia and Montenegro", "aliases": [], "adjectives": [], "people": []},
    {"name": "Sikkim", "aliases": [], "adjectives": [], "people": []},
    {"name": "Southern Rhodesia", "aliases": [], "adjectives": [], "people": []},
    {
        "name": "European Union",
        "aliases": ["EU"],
        "adjectives": [],
        "people": [],
        "kind": "organization",
    },
]

PLURAL_KEEP = ("ese", "ish", "ch", "sh", "ss", "s", "x", "z", "i")


def plural(adj: str) -> str | None:
    """'Soviet' -> 'Soviets', 'Japanese' -> None (the adjective is its own plural)."""
    if adj.endswith(PLURAL_KEEP) and not adj.endswith(("Iraqi", "Israeli", "Pakistani", "Saudi")):
        return None
    if adj.endswith(("Thai",)):
        return adj + "s"
    return adj + "s"


def main() -> None:
    out: list[dict] = []
    for c in pycountry.countries:
        if c.name in SKIP_ISO:
            continue
        name = RENAME.get(c.name, getattr(c, "common_name", None) or c.name)
        aliases = {c.name, getattr(c, "official_name", "") or ""} - {"", name}
        aliases = {a for a in aliases if "," not in a and "(" not in a}
        adjs, extra, people = EXTRA.get(name, ([], [], []))
        aliases |= set(extra)
        out.append(
            {
                "name": name,
                "aliases": sorted(aliases),
                "adjectives": adjs,
                "people": people,
                "ambiguous": name in AMBIGUOUS,
            }
        )
    for h in HISTORICAL:
        out.append(
            {
                "name": h["name"],
                "aliases": h["aliases"],
                "adjectives": h["adjectives"],
                "people": h["people"],
                "historical": True,
                **({"kind": h["kind"]} if "kind" in h else {}),
            }
        )
    for e in out:
        people = list(e["people"])
        for a in e["adjectives"]:
            p = plural(a)
            if p and " " not in a:
                people.append(p)
        e["people"] = sorted(set(people))
    out.sort(key=lambda e: e["name"])
    path = Path(__file__).with_name("nations.json")
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} nations to {path}")


if __name__ == "__main__":
    main()
