"""The Stuttgart demo: people and initiatives for `manage.py seed_demo` (German, realistic).

Only the seed_demo command reads this; migrations never create demo accounts.
"""

from __future__ import annotations

from typing import Any

DEMO_PASSWORD = "klima-demo"  # noqa: S105 - documented demo password, demo mode only

# username: (display name, district slug, role on the site)
PEOPLE = {
    "lena": ("Lena Hoffmann", "west", "member"),
    "jonas": ("Jonas Weber", "bad-cannstatt", "member"),
    "mira": ("Mira Özdemir", "mitte", "moderator"),
    "admin": ("Admin", "mitte", "superuser"),
    "tobias": ("Tobias Brenner", "vaihingen", "member"),
    "aylin": ("Aylin Kaya", "mitte", "member"),
    "frieda": ("Frieda Schäfer", "feuerbach", "member"),
    "klaus": ("Klaus Maier", "moehringen", "member"),
    "sophie": ("Sophie Lang", "sued", "member"),
}

CITY_WIDE_ROOMS = ["Stadtplatz", "Fragen & Hilfe"]

# Each: title, category, district, status, lead, members, summary, description (Markdown)
INITIATIVES = [
    {
        "title": "Repair-Café Stuttgart-West",
        "category": "reparieren-teilen",
        "district": "west",
        "status": "active",
        "lead": "lena",
        "members": ["jonas", "sophie", "klaus"],
        "summary": "Jeden ersten Samstag reparieren wir gemeinsam Toaster, Fahrräder und Kleidung.",
        "description": "Wegwerfen war gestern! Im **Repair-Café** im Westen helfen "
        "ehrenamtliche Tüftlerinnen und Tüftler beim Reparieren.\n\n"
        "- Elektrogeräte\n- Fahrräder\n- Textilien\n\n"
        "Kaffee und Kuchen gibt es gegen Spende.",
    },
    {
        "title": "Lastenrad-Teilen Bad Cannstatt",
        "category": "mobilitaet",
        "district": "bad-cannstatt",
        "status": "active",
        "lead": "lena",
        "members": ["jonas", "aylin"],
        "summary": "Drei freie Lastenräder für den Wocheneinkauf, kostenlos ausleihbar.",
        "description": "Unsere Lastenräder stehen am Wilhelmsplatz. Ausleihe über die "
        "Community, Rückgabe bis 20 Uhr. Wir suchen noch **Radpaten** für die Wartung.",
    },
    {
        "title": "Gemeinschaftsgarten Nordbahnhof",
        "category": "natur-stadtgruen",
        "district": "nord",
        "status": "active",
        "lead": "lena",
        "members": ["frieda", "sophie", "jonas"],
        "summary": "Gemüse, Kräuter und Begegnung auf der Brache am Nordbahnhof.",
        "description": "Wir gärtnern in Hochbeeten auf dem Gelände am Nordbahnhof. "
        "Gießdienst im Sommer, Pflanzentausch im Frühjahr. Alle sind willkommen!",
    },
    {
        "title": "Balkonkraftwerk-Gruppe Vaihingen",
        "category": "energie",
        "district": "vaihingen",
        "status": "active",
        "lead": "tobias",
        "members": ["klaus", "lena"],
        "summary": "Sammelbestellung und Montagehilfe für Steckersolargeräte.",
        "description": "Wir bestellen gemeinsam Balkonkraftwerke, helfen bei der Anmeldung "
        "und montieren zusammen. Nächste Sammelbestellung: im Frühjahr.",
    },
    {
        "title": "Foodsharing-Aktionstag Marktplatz",
        "category": "ernaehrung",
        "district": "mitte",
        "status": "active",
        "lead": "aylin",
        "members": ["jonas", "sophie", "frieda"],
        "summary": "Ein Aktionstag gegen Lebensmittelverschwendung mit Schnippeldisko.",
        "description": "Wir retten Gemüse vom Großmarkt und kochen gemeinsam auf dem "
        "Marktplatz. Für Aufbau, Schnippeln und Abbau brauchen wir **viele Hände**.",
    },
    {
        "title": "Stadtbäume gießen Feuerbach",
        "category": "natur-stadtgruen",
        "district": "feuerbach",
        "status": "active",
        "lead": "frieda",
        "members": ["jonas"],
        "summary": "Baumpatenschaften: Wir gießen junge Straßenbäume in heißen Sommern.",
        "description": "Junge Bäume brauchen im Sommer 100 Liter Wasser pro Woche. "
        "Übernimm eine Patenschaft für einen Baum in deiner Straße.",
    },
    {
        "title": "Sichere Schulwege Degerloch",
        "category": "mobilitaet",
        "district": "degerloch",
        "status": "idea",
        "lead": "sophie",
        "members": ["lena"],
        "summary": "Elterntaxis reduzieren: Laufbus und Fahrradzug zur Grundschule.",
        "description": "Wir organisieren Laufbusse mit festen Haltestellen und begleiten "
        "Kinder mit dem Rad zur Schule.",
    },
    {
        "title": "Solardach-Genossenschaft Möhringen",
        "category": "energie",
        "district": "moehringen",
        "status": "idea",
        "lead": "klaus",
        "members": ["tobias"],
        "summary": "Bürgerinnen und Bürger finanzieren Solaranlagen auf Schuldächern.",
        "description": "Wir gründen eine Energiegenossenschaft. Anteile ab 100 Euro, "
        "Strom für Schulen und Vereine im Bezirk.",
    },
    {
        "title": "Kleidertausch im Süden",
        "category": "reparieren-teilen",
        "district": "sued",
        "status": "done",
        "lead": "sophie",
        "members": ["aylin", "lena"],
        "summary": "Vierteljährliche Tauschpartys für Kleidung, Bücher und Spiele.",
        "description": "Bring, was du nicht mehr brauchst, nimm mit, was dir gefällt. "
        "Die Sommer-Tauschparty war ein voller Erfolg: danke an alle!",
    },
    {
        "title": "Energiespar-Nachbarschaft Zuffenhausen",
        "category": "bauen-wohnen",
        "district": "zuffenhausen",
        "status": "active",
        "lead": "lena",
        "members": ["klaus", "tobias"],
        "summary": "Nachbarn beraten Nachbarn: Wärmebildkamera, Thermostate, Dämmtipps.",
        "description": "Wir verleihen eine Wärmebildkamera und Strommessgeräte und zeigen, "
        "wie man mit kleinen Maßnahmen Heizkosten spart.",
    },
    {
        "title": "Klimacafé Stuttgart-Ost",
        "category": "gemeinschaft",
        "district": "ost",
        "status": "active",
        "lead": "aylin",
        "members": ["mira", "frieda"],
        "summary": "Monatlicher Treff zum Austausch über Klimasorgen und Klimahandeln.",
        "description": "Im Klimacafé reden wir offen über Klimagefühle und planen kleine "
        "Aktionen im Stadtteil. Jeden dritten Donnerstag im Stadtteilzentrum.",
    },
    {
        "title": "Blühwiesen Plieningen",
        "category": "natur-stadtgruen",
        "district": "plieningen",
        "status": "active",
        "lead": "frieda",
        "members": ["klaus"],
        "summary": "Artenvielfalt statt Rasen: Wir säen heimische Blühwiesen an.",
        "description": "Gemeinsam mit der Uni Hohenheim legen wir Blühstreifen an und "
        "zählen im Sommer Wildbienen.",
    },
]

# A few messages per room, so the demo shows life: (room title or initiative title, author, text)
CHAT = [
    (
        "Stadtplatz",
        "mira",
        "Willkommen auf dem **Stadtplatz**! Hier ist Raum für alles rund ums Klima in Stuttgart.",
    ),
    ("Stadtplatz", "lena", "Am Samstag ist Repair-Café im Westen, kommt vorbei!"),
    ("Stadtplatz", "jonas", "Gibt es schon einen Termin für den nächsten Aktionstag?"),
    (
        "Fragen & Hilfe",
        "aylin",
        "Wie lege ich eine neue Initiative an? Antwort: oben auf *Initiative starten*.",
    ),
    ("Repair-Café Stuttgart-West", "lena", "Wer bringt am Samstag Lötkolben mit?"),
    ("Repair-Café Stuttgart-West", "klaus", "Ich! Und eine Kiste Ersatzteile."),
    ("Repair-Café Stuttgart-West", "sophie", "Ich backe wieder Kuchen :)"),
    (
        "Lastenrad-Teilen Bad Cannstatt",
        "jonas",
        "Rad 2 hat einen Platten, ich kümmere mich morgen drum.",
    ),
    (
        "Foodsharing-Aktionstag Marktplatz",
        "aylin",
        "Für den Aufbau um 9 Uhr brauchen wir noch 4 Leute.",
    ),
    ("Foodsharing-Aktionstag Marktplatz", "frieda", "Bin dabei, bringe zwei Schneidebretter mit."),
]

# Upcoming events (days from today, start hour, hours) of an initiative (or None: city-wide,
# by a moderator), with shifts (title, start hour, hours, capacity, who signed up already).
EVENTS: list[dict[str, Any]] = [
    {
        "initiative": "Repair-Café Stuttgart-West",
        "by": "lena",
        "title": "Repair-Café im Stadtteilhaus",
        "days": 2,
        "hour": 14,
        "hours": 4,
        "place": "Stadtteilhaus West, Bebelstraße 22",
        "capacity": 0,
        "description": "Bringt kaputte Toaster, Lampen und Fahrräder mit. Kaffee und Kuchen "
        "gegen Spende.",
        "going": ["jonas", "klaus"],
        "shifts": [],
    },
    {
        "initiative": "Foodsharing-Aktionstag Marktplatz",
        "by": "aylin",
        "title": "Aktionstag: Schnippeldisko auf dem Marktplatz",
        "days": 4,
        "hour": 9,
        "hours": 7,
        "place": "Marktplatz, 70173 Stuttgart",
        "capacity": 120,
        "action_day": True,
        "description": "Wir retten Gemüse vom Großmarkt und kochen gemeinsam: **kostenloses "
        "Essen für alle**, mit Musik. Mit Unterstützung einer Stuttgarter Stiftung.",
        "going": ["jonas", "sophie", "lena"],
        "shifts": [
            ("Aufbau", 9, 2, 4, ["jonas", "frieda", "sophie"]),
            ("Schnippeln und Kochen", 11, 3, 8, ["aylin"]),
            ("Abbau", 14, 2, 4, []),
        ],
    },
    {
        "initiative": None,
        "by": "mira",
        "title": "Klima-Stammtisch für alle",
        "days": 12,
        "hour": 19,
        "hours": 2,
        "place": "Rathaus, Marktplatz 1 (Großer Sitzungssaal)",
        "capacity": 40,
        "description": "Der offene Stammtisch der Klima-Community: Initiativen stellen sich "
        "vor, wir planen den nächsten Aktionstag.",
        "going": ["tobias", "frieda"],
        "shifts": [],
    },
]

# --- Community: news, lifehacks, an organisation's offers, initiatives' needs ----------
# The organisation's account (password as above), verified by mira.
ORGANISATION = ("klimastiftung", "Stiftung Klimaküche Stuttgart", "mitte")

# Each: initiative title (None: city-wide, by mira), by, title, teaser, body (Markdown)
NEWS: list[dict[str, Any]] = [
    {
        "initiative": "Foodsharing-Aktionstag Marktplatz",
        "by": "aylin",
        "title": "180 kg Gemüse gerettet",
        "teaser": "Beim letzten Aktionstag haben 40 Leute geschnippelt und 300 Portionen verteilt.",
        "body": "Danke an alle Helferinnen und Helfer! Der nächste **Aktionstag** ist schon "
        "geplant: trag dich für eine Schicht ein.",
        "picture": "Ein Marktstand mit Kisten voller Gemüse unter einem Sonnendach",
    },
    {
        "initiative": "Repair-Café Stuttgart-West",
        "by": "lena",
        "title": "Neue Lötstation dank Spende",
        "teaser": "Ab Samstag reparieren wir auch kleine Elektronik mit Feinlötarbeiten.",
        "body": "Eine Nachbarin hat uns eine Lötstation geschenkt. Bring deinen kaputten "
        "Kopfhörer mit!",
    },
    {
        "initiative": None,
        "by": "mira",
        "title": "Willkommen in der Klima-Community",
        "teaser": "Hier finden sich Menschen, die Stuttgart bis 2035 klimaneutral machen wollen.",
        "body": "Stell deine Initiative vor, hilf bei einem Aktionstag mit oder teile einen "
        "Lifehack. Jede Woche zeigt das *Mach-Mit-Memo*, wo du gebraucht wirst.",
    },
]

# Each: by, title, body, category, adopted by
LIFEHACKS = [
    (
        "jonas",
        "Deckel auf den Topf",
        "Spart beim Kochen etwa ein Drittel der Energie.",
        "energie",
        ["lena", "sophie", "tobias", "aylin"],
    ),
    (
        "sophie",
        "Kleidung erst reparieren, dann ersetzen",
        "Ein Knopf ist in fünf Minuten angenäht. Im Repair-Café zeigen wir es dir.",
        "reparieren-teilen",
        ["lena", "klaus"],
    ),
    (
        "tobias",
        "Mit dem Rad zum Bäcker",
        "Kurze Wege unter 3 km sind mit dem Rad oft schneller als mit dem Auto.",
        "mobilitaet",
        ["jonas"],
    ),
]

# Each: kind, title, description, category, district (None: city-wide), valid for days
OFFERS = [
    (
        "funding",
        "Zuschuss für Aktionstage bis 500 €",
        "Wir fördern Aktionstage rund um Lebensmittelrettung: Miete, Material, Werbung.",
        "ernaehrung",
        None,
        60,
    ),
    (
        "materials",
        "Lastenrad für Aktionen ausleihen",
        "Unser Lastenrad steht am Wochenende für Initiativen bereit, kostenlos.",
        "mobilitaet",
        "mitte",
        90,
    ),
]

# Each: initiative title, by (its lead), kind, title, description, category
NEEDS = [
    (
        "Foodsharing-Aktionstag Marktplatz",
        "aylin",
        "materials",
        "Gesucht: ein Lastenrad für Samstag",
        "Für den Transport der Kisten vom Großmarkt.",
        "mobilitaet",
    ),
    (
        "Klimacafé Stuttgart-Ost",
        "aylin",
        "space",
        "Raum für 20 Leute",
        "Für unser monatliches Klimacafé, gern mit Küche.",
        "gemeinschaft",
    ),
    (
        "Repair-Café Stuttgart-West",
        "lena",
        "advice",
        "Jemand, der Flyer gestaltet",
        "Wir brauchen einen neuen Flyer für das Repair-Café.",
        "reparieren-teilen",
    ),
]

# They read the Mach-Mit-Memo (opted in, address confirmed): `send_memo` in the demo
# writes their mails to the console.
MEMO_READERS = ["lena", "jonas"]
