"""The demo programme's content: eight industrial regions, each focus group in its own language.

Modelled on the InduCCI network (seeds/InduCCI-leaflet-pl.txt): the partner
organisations are the leaflet's; the people, stories, dreams, propositions
and commitments are invented, written as a regional focus group would.

In each workshop, ``people`` are the participants (name, organisation,
language; None keeps the workshop's language); contributions name their
author by index (``by``), their theme and proposition by index too.
``votes`` is how many participants dot an item.
"""

from __future__ import annotations

from typing import Any

PROGRAMME: dict[str, Any] = {
    "title": "InduCCI: Transnational Learning Network",
    "description": (
        "Eight long-standing industrial regions of Central Europe run Appreciative Inquiry "
        "focus groups with creative communities, administrations, companies, universities "
        "and schools. Their regional strategies for the cultural and creative industries "
        "feed one Central-European recommendation."
    ),
    "language": "en",
}

COORDINATOR = ("coordinator@inducci.example.org", "Ulrike Schmidt")

WORKSHOPS: list[dict[str, Any]] = [
    {
        "region": ("Chemnitz", "DE", "Economic Development Corporation Chemnitz"),
        "facilitator": ("chemnitz@inducci.example.org", "Sabine Krüger"),
        "title": "Fokusgruppe Chemnitz: Kreative und Industrie",
        "topic": "Wie machen wir Chemnitz zu einem Ort, an dem Kreative und Industrie gemeinsam wachsen?",
        "place": "Chemnitz, Spinnerei",
        "held_on": "2026-09-17",
        "language": "de",
        "phase": "closed",
        "people": [
            ("Katrin Vogel", "Kreativwerkstatt Altchemnitz", None),
            ("Jens Hartmann", "Stadt Chemnitz, Kulturbüro", None),
            ("Prof. Dr. Anja Wolf", "Westsächsische Hochschule Zwickau", None),
            ("Thomas Becker", "Becker Maschinenbau GmbH", None),
            ("Lena Schubert", "Designbüro Kaßberg", None),
            ("Olaf Neumann", "IHK Chemnitz", None),
            ("Mira Köhler", "Theaterverein Sonnenberg", None),
            ("David Fischer", "Berufsschule Chemnitz", None),
            ("Jana Meier", "", None),
        ],
        "themes": [
            "Leerstand als Chance",
            "Hochschule trifft Industrie",
            "Zusammenarbeit über Grenzen",
        ],
        "stories": [
            {
                "by": 0,
                "consent": "named",
                "theme": 0,
                "title": "Die Weberei wird zum Atelierhaus",
                "text": "Als die alte Weberei in Altchemnitz leer stand, haben wir mit drei Künstlerinnen und dem Eigentümer einen Zwischennutzungsvertrag geschlossen. Zwei Jahre später arbeiten dort 40 Kreative, und ein Maschinenbauer aus der Nachbarschaft lässt seine Messestände von ihnen gestalten.",
                "factors": "Ein mutiger Eigentümer, ein einfacher Mustervertrag der Stadt, Nachbarn, die mitgemacht haben.",
            },
            {
                "by": 2,
                "consent": "anonymous",
                "theme": 1,
                "title": "Ein Semester im Werk",
                "text": "Unsere Designstudierenden haben ein Semester lang mit einem Zulieferer an der Verpackung gearbeitet. Heute spart die Firma ein Drittel Material, und zwei Absolventen sind geblieben, statt nach Berlin zu gehen.",
                "factors": "Eine Professorin, die Türen öffnet, und ein Werksleiter mit Neugier.",
            },
            {
                "by": 1,
                "consent": "named",
                "theme": 2,
                "title": "Alle an einem Tisch",
                "text": "Während der Bewerbung zur Kulturhauptstadt saßen zum ersten Mal Vereine, Unternehmen und Verwaltung regelmäßig an einem Tisch. Aus diesen Runden sind Projekte entstanden, die bis heute laufen, auch ohne Fördergeld.",
                "factors": "Ein gemeinsames Ziel und die Erfahrung, dass jede Stimme zählt.",
            },
            {
                "by": 6,
                "consent": "private",
                "theme": 0,
                "title": "",
                "text": "Unser Theater probt seit einem Jahr in einer Werkshalle, die tagsüber noch genutzt wird. Die Arbeiter bleiben manchmal nach der Schicht und schauen zu.",
                "factors": "",
            },
        ],
        "dreams": [
            {
                "by": 4,
                "consent": "anonymous",
                "votes": 5,
                "text": "Chemnitz ist 2030 die Stadt, in der jede Fabrikhalle auch ein Ort für Kultur ist.",
            },
            {
                "by": 3,
                "consent": "named",
                "votes": 3,
                "text": "Kreative sitzen in jedem Innovationsrat der regionalen Industrie.",
            },
            {
                "by": 8,
                "consent": "anonymous",
                "votes": 6,
                "text": "Junge Menschen bleiben, weil sie hier Arbeit und Freiraum finden.",
            },
        ],
        "propositions": [
            {
                "by": 0,
                "consent": "named",
                "theme": 0,
                "votes": 6,
                "text": "Jede leerstehende Industriefläche wird innerhalb eines Jahres für kreative Zwischennutzung angeboten, mit einem Mustervertrag der Stadt.",
            },
            {
                "by": 2,
                "consent": "anonymous",
                "theme": 1,
                "votes": 4,
                "text": "Jedes Industrieunternehmen mit mehr als 50 Beschäftigten arbeitet jedes Jahr an einem Projekt mit Kreativen oder Studierenden.",
            },
        ],
        "commitments": [
            {
                "by": 5,
                "consent": "named",
                "proposition": 0,
                "owner": "Olaf Neumann",
                "owner_organisation": "IHK Chemnitz",
                "due": "2027-03-31",
                "text": "Wir veröffentlichen mit der Stadt einen Mustervertrag für kreative Zwischennutzung und stellen ihn allen Eigentümern vor.",
            },
            {
                "by": 0,
                "consent": "named",
                "proposition": 1,
                "owner": "Katrin Vogel",
                "owner_organisation": "Kreativwerkstatt Altchemnitz",
                "due": "2027-05-15",
                "text": "Wir organisieren die erste Matching-Runde zwischen Kreativen und Zulieferern in der Spinnerei.",
            },
        ],
    },
    {
        "region": (
            "Saxony",
            "DE",
            "Regional Association for Cultural and Creative Industries Saxony e.V.",
        ),
        "facilitator": ("saxony@inducci.example.org", "Michael Schulze"),
        "title": "Fokusgruppe Sachsen: Kreativwirtschaft im ländlichen Raum",
        "topic": "Wie stärken wir die Kreativwirtschaft in den ländlichen Industrieregionen Sachsens?",
        "place": "Dresden, Kraftwerk Mitte",
        "held_on": "2026-10-08",
        "language": "de",
        "phase": "deliver",
        "people": [
            ("Anne Richter", "Designnetz Lausitz", None),
            ("Tobias Lange", "Holzspielzeug Seiffen", None),
            ("Sophie Wagner", "Kreativlotsen Sachsen", None),
            ("Frank Schmitt", "Landkreis Mittelsachsen", None),
            ("Paula Krause", "Game-Studio Leipzig", None),
            ("Heike Zimmermann", "", None),
            ("Martin Braun", "Sächsische Aufbaubank", None),
            ("Clara Hoffmann", "TU Bergakademie Freiberg", None),
        ],
        "themes": [
            "Offene Räume auf dem Land",
            "Beratung auf Augenhöhe",
            "Tradition trifft Digitales",
        ],
        "stories": [
            {
                "by": 0,
                "consent": "named",
                "theme": 0,
                "title": "Ein Sommer in der Brikettfabrik",
                "text": "Unser Netzwerk von Designerinnen hat in einer ehemaligen Brikettfabrik einen Sommer lang offene Werkstätten angeboten. Über 2.000 Menschen kamen, viele davon Familien aus den Dörfern ringsum, die das Gebäude noch aus der Arbeit ihrer Eltern kannten.",
                "factors": "Ein Bürgermeister, der den Schlüssel gegeben hat, und Fördermittel, die schnell da waren.",
            },
            {
                "by": 2,
                "consent": "anonymous",
                "theme": 1,
                "title": "120 Gespräche in einem Jahr",
                "text": "Unsere Kreativlotsen haben in einem Jahr 120 Selbstständige beraten, viele zum ersten Mal überhaupt. Eine Goldschmiedin hat danach einen Onlineshop aufgebaut und zwei Leute eingestellt.",
                "factors": "Beratung vor Ort statt in der Landeshauptstadt, ohne Formulare beim ersten Treffen.",
            },
            {
                "by": 1,
                "consent": "named",
                "theme": 2,
                "title": "Erzgebirge trifft Game Design",
                "text": "Unsere Manufaktur hat mit einem Leipziger Game-Studio ein digitales Spiel zu unseren Holzfiguren entwickelt. Seitdem kaufen auch Jugendliche wieder Figuren, und wir haben einen neuen Lehrling.",
                "factors": "Neugier auf beiden Seiten und ein kleines Budget für den ersten Prototyp.",
            },
        ],
        "dreams": [
            {
                "by": 3,
                "consent": "named",
                "votes": 5,
                "text": "In jedem Landkreis gibt es ein Kreativzentrum, das man vom Bahnhof aus zu Fuß erreicht.",
            },
            {
                "by": 4,
                "consent": "anonymous",
                "votes": 4,
                "text": "Handwerk und digitale Kreative entwickeln gemeinsam Produkte, die weltweit verkauft werden.",
            },
        ],
        "propositions": [
            {
                "by": 2,
                "consent": "named",
                "theme": 1,
                "votes": 5,
                "text": "Jeder Landkreis hat eine Kreativlotsin, die Selbstständige, Unternehmen und Verwaltung zusammenbringt.",
            },
            {
                "by": 1,
                "consent": "anonymous",
                "theme": 2,
                "votes": 3,
                "text": "Traditionsbetriebe und digitale Studios starten jedes Jahr gemeinsame Pilotprojekte aus einem kleinen Landesfonds.",
            },
        ],
        "commitments": [
            {
                "by": 6,
                "consent": "named",
                "proposition": 0,
                "owner": "Martin Braun",
                "owner_organisation": "Sächsische Aufbaubank",
                "due": "2027-06-30",
                "text": "Wir prüfen, wie zwei neue Kreativlotsinnen für Mittelsachsen und die Lausitz finanziert werden können.",
            },
        ],
    },
    {
        "region": ("Linz & Upper Austria", "AT", "Creative Region Linz & Upper Austria"),
        "facilitator": ("linz@inducci.example.org", "Eva Gruber"),
        "title": "Fokusgruppe Oberösterreich: Kreative Methoden für die Industrie",
        "topic": "Wie bringen wir Kreative und Industrie in Oberösterreich zusammen?",
        "place": "Linz, Tabakfabrik",
        "held_on": "2026-10-21",
        "language": "de",
        "phase": "design",
        "people": [
            ("Lisa Hofer", "Tabakfabrik Linz", None),
            ("Markus Eder", "HTL Steyr", None),
            ("Julia Huber", "voestalpine Lehrwerkstatt", None),
            ("Stefan Pichler", "Kunstuniversität Linz", None),
            ("Sarah Leitner", "Grafikbüro Urfahr", None),
            ("Florian Mayr", "Land Oberösterreich, Wirtschaft", None),
            ("Teresa Moser", "Ars Electronica Center", None),
            ("Daniel Wimmer", "", None),
        ],
        "themes": [
            "Umgenutzte Industrieorte",
            "Kreative Methoden im Betrieb",
            "Jugend und Technik",
        ],
        "stories": [
            {
                "by": 0,
                "consent": "named",
                "theme": 0,
                "title": "Von der Zigarette zum Start-up",
                "text": "Die Tabakfabrik war jahrzehntelang ein Industriebetrieb. Heute arbeiten dort über 2.000 Menschen in Start-ups, Ateliers und Werkstätten, und Industrieunternehmen kommen für Workshops vorbei.",
                "factors": "Die Stadt hat das Gebäude gekauft und Geduld gehabt.",
            },
            {
                "by": 2,
                "consent": "anonymous",
                "theme": 1,
                "title": "Designsprint beim Stahlkocher",
                "text": "In einem zweitägigen Designsprint haben Grafikerinnen und unsere Techniker gemeinsam eine Schulungs-App entworfen. Die Lehrlinge nutzen sie heute jeden Tag, und die Unfälle in der Werkstatt sind zurückgegangen.",
                "factors": "Die Geschäftsführung hat zwei Tage Arbeitszeit freigegeben.",
            },
            {
                "by": 1,
                "consent": "named",
                "theme": 2,
                "title": "Roboter beim Festival",
                "text": "Schülerinnen aus Steyr haben beim Festival ihre eigenen Roboterinstallationen gezeigt. Zwei von ihnen machen jetzt eine Lehre in Mechatronik, die vorher nie daran gedacht hätten.",
                "factors": "Ein Festival, das Schulen ernst nimmt.",
            },
        ],
        "dreams": [
            {
                "by": 6,
                "consent": "named",
                "votes": 6,
                "text": "Oberösterreich ist bekannt als Region, in der Industrie und Kunst sich gegenseitig neu erfinden.",
            },
            {
                "by": 4,
                "consent": "anonymous",
                "votes": 2,
                "text": "Jedes Industrieunternehmen hat eine kreative Partnerin im Haus.",
            },
            {
                "by": 1,
                "consent": "anonymous",
                "votes": 4,
                "text": "Lehrlinge lernen Design so selbstverständlich wie Schweißen.",
            },
        ],
        "propositions": [
            {
                "by": 5,
                "consent": "named",
                "theme": 1,
                "votes": 5,
                "text": "Jedes Jahr finden in fünf Industriebetrieben Designsprints mit regionalen Kreativen statt, und die Ergebnisse werden öffentlich gezeigt.",
            },
        ],
        "commitments": [],
    },
    {
        "region": ("Sokolov-East", "CZ", "Microregion Sokolov-East"),
        "facilitator": ("sokolov@inducci.example.org", "Tereza Svobodová"),
        "title": "Fokusní skupina Sokolovsko: kreativita po uhlí",
        "topic": "Jak může kreativita pomoci Sokolovsku po konci těžby uhlí?",
        "place": "Sokolov, Hornický dům",
        "held_on": "2026-11-05",
        "language": "cs",
        "phase": "dream",
        "people": [
            ("Jana Nováková", "Spolek Krajina", None),
            ("Petr Dvořák", "Studio Kotel", None),
            ("Lucie Černá", "Město Chodov", None),
            ("Martin Procházka", "Sokolovská uhelná", None),
            ("Eva Kučerová", "Gymnázium Sokolov", None),
            ("Tomáš Veselý", "", None),
            ("Klára Horáková", "Keramická dílna Chodov", None),
        ],
        "themes": ["Paměť hornické krajiny", "Návrat mladých"],
        "stories": [
            {
                "by": 0,
                "consent": "named",
                "theme": 0,
                "title": "Divadlo v lomu",
                "text": "Loni v létě jsme v bývalém lomu uspořádali divadelní představení o historii hornictví. Přišlo přes 600 lidí a mnoho bývalých horníků vyprávělo po představení své vlastní příběhy.",
                "factors": "Spolupráce s těžební společností a dobrovolníci ze všech okolních obcí.",
            },
            {
                "by": 6,
                "consent": "anonymous",
                "theme": 0,
                "title": "Trh v kotelně",
                "text": "Místní keramici a designéři začali pořádat pravidelný trh v bývalé kotelně. Z trhu vznikla malá dílna, kde teď každý týden učíme děti.",
                "factors": "Prázdná budova, která nikomu nechyběla, a pár lidí, kteří se nebáli začít.",
            },
            {
                "by": 1,
                "consent": "named",
                "theme": 1,
                "title": "Vrátil jsem se",
                "text": "Po studiu v Praze jsem se vrátil a založil grafické studio. Pracuji pro firmy z celého kraje a našel jsem tu víc zakázek, než jsem čekal.",
                "factors": "Levné prostory a firmy, které chtějí spolupracovat s někým odsud.",
            },
        ],
        "dreams": [
            {
                "by": 2,
                "consent": "named",
                "votes": 4,
                "text": "Sokolovsko je v roce 2035 známé jako kraj, kde se z dolů staly místa kultury a přírody.",
            },
            {
                "by": 4,
                "consent": "anonymous",
                "votes": 5,
                "text": "Mladí lidé se sem vracejí, protože tu mohou tvořit a podnikat.",
            },
        ],
        "propositions": [],
        "commitments": [],
    },
    {
        "region": ("Bielsko-Biała", "PL", "Regional Development Agency Bielsko-Biala"),
        "facilitator": ("bielsko@inducci.example.org", "Katarzyna Nowak"),
        "title": "Grupa fokusowa Podbeskidzie: przemysł i kreatywność",
        "topic": "Jak sprawić, by przemysły kreatywne wzmacniały przemysł Podbeskidzia?",
        "place": "Bielsko-Biała, Fabryka Sukna Büttnera",
        "held_on": "2026-11-19",
        "language": "pl",
        "phase": "discover",
        "people": [
            ("Agnieszka Kowalska", "Fabryka Kreatywna", None),
            ("Marek Wiśniewski", "Akademia Techniczno-Humanistyczna", None),
            ("Piotr Zieliński", "Studio Animacji Beskidy", None),
            ("Magdalena Lewandowska", "Urząd Miejski Bielsko-Biała", None),
            ("Tomasz Kamiński", "Zakłady Części Samochodowych", None),
            ("Ewa Szymańska", "", None),
            ("John Carter", "Film festival volunteer", "en"),
        ],
        "themes": [],
        "stories": [
            {
                "by": 0,
                "consent": "named",
                "theme": None,
                "title": "Stara fabryka sukna",
                "text": "W dawnej fabryce sukna otworzyliśmy przestrzeń coworkingową dla projektantów. Po roku jedna z firm tekstylnych zamówiła u nas nową kolekcję wzorów, inspirowaną archiwum fabryki.",
                "factors": "Właściciel budynku uwierzył w pomysł, a miasto pomogło w promocji.",
            },
            {
                "by": 6,
                "consent": "anonymous",
                "theme": None,
                "title": "The animation festival",
                "text": "The animation festival brought students from all over Poland to the city. Several of them stayed and now work in a local studio that makes films for industrial clients.",
                "factors": "A long tradition of animation in the city and a studio willing to hire.",
            },
            {
                "by": 1,
                "consent": "named",
                "theme": None,
                "title": "Projektanci w fabryce",
                "text": "Zespół młodych projektantów przez trzy miesiące pracował z inżynierami fabryki części samochodowych nad ergonomią stanowisk pracy. Liczba urazów spadła, a pracownicy sami zgłaszają nowe pomysły.",
                "factors": "Dyrektor, który wpuścił studentów na halę, i czas na wspólne testy.",
            },
        ],
        "dreams": [],
        "propositions": [],
        "commitments": [],
    },
    {
        "region": ("Padova", "IT", "Padova Chamber of Commerce, Industry, Crafts and Agriculture"),
        "facilitator": ("padova@inducci.example.org", "Francesca Ferrari"),
        "title": "Focus group Padova: design e manifattura",
        "topic": "Come possono le industrie culturali e creative rinnovare le imprese manifatturiere del Padovano?",
        "place": "Padova, Camera di Commercio",
        "held_on": "2026-09-30",
        "language": "it",
        "phase": "closed",
        "people": [
            ("Giulia Bianchi", "Studio Officina", None),
            ("Marco Rossi", "Università di Padova", None),
            ("Alessandro Conti", "Metalmeccanica Piovese", None),
            ("Chiara Romano", "Museo d'impresa Calzaturificio Brenta", None),
            ("Luca Galli", "Comune di Padova", None),
            ("Sara Marchetti", "", None),
            ("Davide Greco", "Confartigianato Padova", None),
            ("Elena Fontana", "Liceo artistico Selvatico", None),
        ],
        "themes": ["Design e manifattura", "Cultura d'impresa"],
        "stories": [
            {
                "by": 0,
                "consent": "named",
                "theme": 0,
                "title": "Il design entra in officina",
                "text": "Un'azienda metalmeccanica di Piove di Sacco ha lavorato per sei mesi con due designer. Il nuovo prodotto è stato presentato al Salone del Mobile e gli ordini sono raddoppiati.",
                "factors": "Un imprenditore curioso e il voucher della Camera di Commercio.",
            },
            {
                "by": 3,
                "consent": "anonymous",
                "theme": 1,
                "title": "Musei d'impresa aperti",
                "text": "Abbiamo aperto i musei di sei imprese storiche durante un fine settimana. Sono arrivate scuole, famiglie e anche clienti stranieri che non conoscevano la nostra storia.",
                "factors": "Le imprese hanno messo a disposizione i loro archivi e i loro dipendenti come guide.",
            },
            {
                "by": 1,
                "consent": "named",
                "theme": 0,
                "title": "Dall'università al laboratorio",
                "text": "Gli studenti dell'Università di Padova hanno progettato con un calzaturificio della Riviera del Brenta una campagna sulla sostenibilità. L'azienda la usa ancora oggi nelle fiere.",
                "factors": "Un progetto reale con una scadenza reale.",
            },
            {
                "by": 5,
                "consent": "private",
                "theme": 1,
                "title": "",
                "text": "Mio nonno lavorava in una tessitura che ha chiuso. Oggi uso i suoi campioni di tessuto per il mio lavoro di illustratrice.",
                "factors": "",
            },
        ],
        "dreams": [
            {
                "by": 2,
                "consent": "named",
                "votes": 6,
                "text": "Nel 2030 ogni impresa manifatturiera del Padovano collabora con almeno un professionista creativo.",
            },
            {
                "by": 3,
                "consent": "anonymous",
                "votes": 3,
                "text": "Il patrimonio industriale diventa una meta culturale conosciuta in tutta Europa.",
            },
            {
                "by": 7,
                "consent": "anonymous",
                "votes": 5,
                "text": "I giovani creativi trovano a Padova lavoro, spazi e clienti.",
            },
        ],
        "propositions": [
            {
                "by": 4,
                "consent": "named",
                "theme": 0,
                "votes": 6,
                "text": "Ogni anno la Camera di Commercio finanzia venti progetti tra imprese manifatturiere e creativi, e i risultati vengono presentati in una fiera aperta a tutti.",
            },
            {
                "by": 3,
                "consent": "anonymous",
                "theme": 1,
                "votes": 4,
                "text": "Le imprese storiche aprono archivi e musei a scuole e creativi almeno due volte all'anno.",
            },
        ],
        "commitments": [
            {
                "by": 6,
                "consent": "named",
                "proposition": 0,
                "owner": "Camera di Commercio di Padova",
                "owner_organisation": "",
                "due": "2027-02-28",
                "text": "Pubblichiamo il bando per i voucher creativi 2027, con una corsia dedicata alle piccole imprese.",
            },
            {
                "by": 0,
                "consent": "named",
                "proposition": 1,
                "owner": "Giulia Bianchi",
                "owner_organisation": "Studio Officina",
                "due": "2027-10-10",
                "text": "Organizziamo la seconda edizione di Musei d'impresa aperti con almeno dieci imprese.",
            },
        ],
    },
    {
        "region": ("Kranj", "SI", "Business support centre Kranj"),
        "facilitator": ("kranj@inducci.example.org", "Nina Zupan"),
        "title": "Fokusna skupina Gorenjska: ustvarjalnost in industrija",
        "topic": "Kako lahko kulturne in kreativne industrije okrepijo gospodarstvo Gorenjske?",
        "place": "Kranj, Layerjeva hiša",
        "held_on": "2026-10-29",
        "language": "sl",
        "phase": "design",
        "people": [
            ("Maja Novak", "Kreativni center Kranj", None),
            ("Luka Kranjc", "Šolski center Kranj", None),
            ("Ana Kovač", "Mestna občina Kranj", None),
            ("Jure Potočnik", "Iskra d.o.o.", None),
            ("Tina Golob", "Oblikovalski studio Pungert", None),
            ("Matej Kos", "", None),
            ("Špela Vidmar", "Gorenjska mlekarna", None),
        ],
        "themes": ["Prostori za ustvarjanje", "Mladi in podjetja"],
        "stories": [
            {
                "by": 0,
                "consent": "named",
                "theme": 0,
                "title": "Oblikovalci v stari tovarni",
                "text": "V nekdanjih prostorih tovarne je nastal kreativni center. Oblikovalci tam sodelujejo z inženirji in skupaj so razvili novo linijo svetil, ki jo zdaj prodajajo v tujino.",
                "factors": "Podpora občine in odprtost podjetja za nove ljudi.",
            },
            {
                "by": 4,
                "consent": "anonymous",
                "theme": 0,
                "title": "Festival v starem mestnem jedru",
                "text": "Poletni festival je v staro mestno jedro pripeljal mlade ustvarjalce. Nekaj praznih lokalov je zdaj oddanih oblikovalcem in obrtnikom.",
                "factors": "Lastniki lokalov so bili pripravljeni poskusiti s kratkimi najemi.",
            },
            {
                "by": 1,
                "consent": "named",
                "theme": 1,
                "title": "Dijaki oblikujejo embalažo",
                "text": "Dijaki naše srednje šole so za lokalno mlekarno oblikovali novo embalažo. Izdelek je zdaj v trgovinah po vsej Sloveniji, dijaki pa so dobili prve reference.",
                "factors": "Resnična naloga, spoštljiv naročnik in učitelj, ki je verjel v dijake.",
            },
        ],
        "dreams": [
            {
                "by": 3,
                "consent": "named",
                "votes": 5,
                "text": "Gorenjska je regija, kjer industrija in ustvarjalci skupaj ustvarjajo izdelke za ves svet.",
            },
            {
                "by": 5,
                "consent": "anonymous",
                "votes": 3,
                "text": "Vsaka prazna stavba v starem Kranju ima ustvarjalno vsebino.",
            },
        ],
        "propositions": [
            {
                "by": 1,
                "consent": "named",
                "theme": 1,
                "votes": 4,
                "text": "Vsako leto pet gorenjskih podjetij sodeluje s šolami pri oblikovalskem projektu, rezultate pa predstavimo na sejmu.",
            },
            {
                "by": 2,
                "consent": "named",
                "theme": 0,
                "votes": 3,
                "text": "Občina ponudi prazne lokale ustvarjalcem z nižjo najemnino za prva tri leta.",
            },
        ],
        "commitments": [],
    },
    {
        "region": ("Limburg", "BE", "STEBO Competence Centre for Community Development"),
        "facilitator": ("limburg@inducci.example.org", "Pieter Claes"),
        "title": "Focusgroep Limburg: creativiteit op de mijnsites",
        "topic": "Hoe maken we van de oude mijnsites in Limburg plekken waar creativiteit en werk samenkomen?",
        "place": "Genk, C-mine",
        "held_on": "2026-11-12",
        "language": "nl",
        "phase": "deliver",
        "people": [
            ("Els Peeters", "C-mine", None),
            ("Tom Janssens", "Studio Lommel", None),
            ("Sofie Maes", "Stad Genk", None),
            ("Bart Willems", "Metaalwerken Lommel", None),
            ("Yasmine El Amrani", "Buurtwerk Winterslag", None),
            ("Koen Jacobs", "", None),
            ("Lotte Wouters", "LUCA School of Arts", None),
            ("Giuseppe Russo", "Mijnwerkersvereniging Beringen", "it"),
        ],
        "themes": ["Mijnerfgoed als motor", "Creativiteit in de wijk", "Ontwerp en maakindustrie"],
        "stories": [
            {
                "by": 0,
                "consent": "named",
                "theme": 0,
                "title": "Van steenkool naar ontwerp",
                "text": "De oude steenkoolmijn van Winterslag is nu een creatief centrum met een ontwerpschool, een bioscoop en ateliers. Oud-mijnwerkers geven er rondleidingen aan schoolklassen.",
                "factors": "Een lange adem van de stad en de trots van de mijnwerkersfamilies.",
            },
            {
                "by": 4,
                "consent": "anonymous",
                "theme": 1,
                "title": "Een winkel wordt atelier",
                "text": "Samen met bewoners van een mijnwijk hebben we een leegstaand winkelpand omgebouwd tot atelier. Jongeren maken er nu muziek en kleding, en verkopen die op de markt.",
                "factors": "Bewoners die zelf de sleutel beheren.",
            },
            {
                "by": 1,
                "consent": "named",
                "theme": 2,
                "title": "Een eigen merk",
                "text": "Een metaalbedrijf uit Lommel werkte met twee productontwerpers aan een nieuw meubelassortiment. Het bedrijf heeft nu een eigen merk naast het loonwerk.",
                "factors": "Een zaakvoerder die durfde te investeren in iets nieuws.",
            },
            {
                "by": 7,
                "consent": "named",
                "theme": 0,
                "title": "Le storie dei minatori",
                "text": "Mio padre è arrivato dall'Abruzzo per lavorare in miniera. Oggi raccontiamo le storie delle famiglie di minatori in un podcast fatto con i ragazzi del quartiere.",
                "factors": "L'associazione dei minatori e una scuola di musica che ci ha prestato lo studio.",
            },
        ],
        "dreams": [
            {
                "by": 6,
                "consent": "named",
                "votes": 5,
                "text": "Limburg is in 2030 dé plek waar jonge ontwerpers hun eerste atelier openen.",
            },
            {
                "by": 4,
                "consent": "anonymous",
                "votes": 4,
                "text": "Elke mijnwijk heeft een creatieve plek die door de bewoners zelf gedragen wordt.",
            },
        ],
        "propositions": [
            {
                "by": 2,
                "consent": "named",
                "theme": 1,
                "votes": 5,
                "text": "Elke gemeente met een mijnverleden stelt een leegstaand pand ter beschikking als buurtatelier, samen beheerd met de bewoners.",
            },
            {
                "by": 3,
                "consent": "anonymous",
                "theme": 2,
                "votes": 3,
                "text": "Elk jaar werken tien maakbedrijven samen met ontwerpers aan een eigen product.",
            },
        ],
        "commitments": [
            {
                "by": 4,
                "consent": "named",
                "proposition": 0,
                "owner": "STEBO",
                "owner_organisation": "",
                "due": "2027-09-01",
                "text": "We openen twee nieuwe buurtateliers in Genk en Beringen, samen met de bewoners.",
            },
            {
                "by": 1,
                "consent": "named",
                "proposition": 1,
                "owner": "Tom Janssens",
                "owner_organisation": "Studio Lommel",
                "due": "2027-04-20",
                "text": "We organiseren een matchmakingdag voor ontwerpers en maakbedrijven uit Noord-Limburg.",
            },
        ],
    },
]

#: The coordinator's synthesis: common themes (in the programme's language)
#: with the regional themes mapped onto them, by (region, theme name), and
#: three recommendations whose evidence names contributions by (region,
#: kind, index in that workshop's list above). Only items that may be
#: published are named: a private story would be refused.
SYNTHESIS: dict[str, Any] = {
    "themes": [
        (
            "Industrial sites become creative spaces",
            [
                ("Chemnitz", "Leerstand als Chance"),
                ("Saxony", "Offene Räume auf dem Land"),
                ("Linz & Upper Austria", "Umgenutzte Industrieorte"),
                ("Sokolov-East", "Paměť hornické krajiny"),
                ("Kranj", "Prostori za ustvarjanje"),
                ("Limburg", "Mijnerfgoed als motor"),
            ],
        ),
        (
            "Design and creative methods in industry",
            [
                ("Chemnitz", "Hochschule trifft Industrie"),
                ("Saxony", "Tradition trifft Digitales"),
                ("Linz & Upper Austria", "Kreative Methoden im Betrieb"),
                ("Padova", "Design e manifattura"),
                ("Limburg", "Ontwerp en maakindustrie"),
            ],
        ),
        (
            "Young talent stays and grows",
            [
                ("Linz & Upper Austria", "Jugend und Technik"),
                ("Sokolov-East", "Návrat mladých"),
                ("Kranj", "Mladi in podjetja"),
            ],
        ),
        (
            "Cooperation and guidance across sectors",
            [
                ("Chemnitz", "Zusammenarbeit über Grenzen"),
                ("Saxony", "Beratung auf Augenhöhe"),
                ("Padova", "Cultura d'impresa"),
            ],
        ),
        ("Creative neighbourhoods", [("Limburg", "Creativiteit in de wijk")]),
    ],
    "recommendations": [
        {
            "title": "Open empty industrial sites to creative work",
            "text": (
                "Every partner region offers empty industrial halls and shops to creative "
                "workers within a year, on a simple interim-use contract drafted once and "
                "shared across the network. Regions that have done it (Chemnitz, Kranj, "
                "Limburg, Sokolov-East) mentor those that start, through a peer visit each year."
            ),
            "themes": [0],
            "evidence": [
                ("Chemnitz", "story", 0),
                ("Limburg", "story", 0),
                ("Kranj", "story", 0),
                ("Sokolov-East", "story", 0),
                ("Chemnitz", "proposition", 0),
                ("Limburg", "proposition", 0),
                ("Chemnitz", "commitment", 0),
            ],
        },
        {
            "title": "Bring designers into manufacturing companies every year",
            "text": (
                "Each region funds a yearly round of design sprints and residencies in "
                "manufacturing companies, matched by a creative broker who knows both sides. "
                "Vouchers, sprints and matchmaking days already tried in Padova, Linz and "
                "Limburg become one programme that every partner can run."
            ),
            "themes": [1, 3],
            "evidence": [
                ("Padova", "story", 0),
                ("Linz & Upper Austria", "story", 1),
                ("Limburg", "story", 2),
                ("Padova", "proposition", 0),
                ("Linz & Upper Austria", "proposition", 0),
                ("Padova", "commitment", 0),
                ("Saxony", "proposition", 0),
            ],
        },
        {
            "title": "Give young people reasons to stay: work, space and a voice",
            "text": (
                "Schools, companies and creative studios work together on real briefs, so "
                "that young people see a future in their region before they leave it. Those "
                "who come back are invited to shape the regional strategy."
            ),
            "themes": [2],
            "evidence": [
                ("Sokolov-East", "story", 2),
                ("Kranj", "story", 2),
                ("Linz & Upper Austria", "story", 2),
                ("Kranj", "proposition", 0),
            ],
        },
    ],
}
