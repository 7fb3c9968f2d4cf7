"""
The demo newsroom that ``manage.py seed_demo`` loads: a fictional port city,
Harborview, and a week of its news. All text here was written for Newsroom.
"""

SECTIONS = [
    # name, slug, description, show in navigation
    ("Cover Story", "cover-story", "The story the whole newsroom is working on this week.", True),
    ("City", "city", "Harborview's streets, councils, schools and neighbourhoods.", True),
    ("Politics", "politics", "Power, policy and the people who hold them to account.", True),
    ("Business", "business", "Companies, jobs and the port economy.", True),
    ("Science", "science", "Research, health and the environment.", True),
    ("Culture", "culture", "Books, music, film and the city's stages.", True),
    ("Sport", "sport", "Results, rivalries and the people behind them.", True),
]

AUTHORS = [
    # name, slug, bio
    ("Maria Lopez", "maria-lopez", "City hall reporter. Covers budgets, housing and the council."),
    ("Daniel Okafor", "daniel-okafor", "Politics editor. Twenty years in parliamentary press galleries."),
    (
        "Ingrid Sørensen",
        "ingrid-sorensen",
        "Science and environment correspondent, trained as a marine biologist.",
    ),
    ("Tomás Reyes", "tomas-reyes", "Business reporter following the port, shipping and local industry."),
    ("Aiko Tanaka", "aiko-tanaka", "Culture critic. Writes about music, theatre and the city's bookshops."),
    ("Sam Whitfield", "sam-whitfield", "Sports reporter and lifelong supporter of lower-league football."),
    ("Harborview Wire", "harborview-wire", "Short reports from the newsroom's wire desk."),
]

# Each article: slug, section slug, author slugs, kicker, title, standfirst,
# tags, paragraphs (the last ones may be ("h2", text) or ("quote", text)),
# hours before now it was published (negative: scheduled), featured, status,
# related article slugs.
ARTICLES = [
    {
        "slug": "the-tide-is-coming-harborview-seawall",
        "section": "cover-story",
        "authors": ["ingrid-sorensen", "maria-lopez"],
        "kicker": "Cover Story",
        "title": "The tide is coming: inside Harborview's race to rebuild its seawall",
        "dek": "The 1920s wall that guards the old harbour is failing faster than engineers "
        "predicted. The city has four years and not enough money to replace it.",
        "tags": ["Seawall", "Climate", "City Council", "Infrastructure"],
        "body": [
            "At low tide on a grey Tuesday morning, Priya Raman points a torch into a crack "
            "in the old harbour wall wide enough to take her whole hand. \u201cTen years ago this "
            "was a hairline,\u201d says the city's chief coastal engineer. \u201cNow the sea comes "
            "through it twice a day.\u201d",
            "The wall, finished in 1927, runs for 3.2 kilometres from the fish market to the "
            "ferry terminal. Behind it live eleven thousand people, two hospitals and most of "
            "the city's historic centre. A survey published by the council last month found "
            "that forty per cent of its length is in \u201cpoor or critical\u201d condition.",
            # A wide figure from the image library (seed_demo makes its picture).
            (
                "library_figure",
                {
                    "seed": "harbour-wall-at-low-tide",
                    "alt": "The old harbour wall at low tide, its stones dark with weed below the waterline",
                    "caption": "The old harbour wall at low tide, near the fish market.",
                    "credit": "Image: Newsroom demo",
                    "wide": True,
                },
            ),
            ("h2", "A bill nobody wants to pay"),
            "Replacing the wall will cost an estimated 410 million, more than the city's "
            "entire annual capital budget. The national flood fund has promised a third. The "
            "rest, the council says, will have to come from borrowing, a levy on waterfront "
            "property, or both.",
            ("quote", "We can argue about who pays. We cannot argue with the sea."),
            "Residents of the low-lying Quayside district have started a campaign for the "
            "levy to be weighted towards the commercial landlords who own most of the "
            "harbour front. The council will vote on the financing plan in March.",
        ],
        "hours_ago": 3,
        "featured": True,
        "related": [
            "council-approves-emergency-flood-budget",
            "king-tides-map-quayside",
            "port-authority-dredging-plan",
        ],
    },
    {
        "slug": "council-approves-emergency-flood-budget",
        "section": "city",
        "authors": ["maria-lopez"],
        "title": "Council approves emergency flood budget after stormy session",
        "dek": "Councillors voted 31 to 12 to release 18 million for temporary defences "
        "while the seawall plan is drawn up.",
        "tags": ["City Council", "Seawall", "Budget"],
        "body": [
            "After a four-hour debate that ran past midnight, Harborview's council released "
            "18 million from its reserves to pay for temporary flood barriers along the most "
            "vulnerable stretch of the old harbour.",
            "Opposition councillors argued that the money would be wasted if the permanent "
            "wall were built on a different line. The mayor's office said the barriers could "
            "be moved and reused.",
            "Work on the first barriers is expected to start within six weeks.",
        ],
        "hours_ago": 20,
        "related": ["the-tide-is-coming-harborview-seawall"],
    },
    {
        "slug": "king-tides-map-quayside",
        "section": "science",
        "authors": ["ingrid-sorensen"],
        "kicker": "Explainer",
        "title": "What a king tide is, and why Quayside floods when it comes",
        "dek": "Twice a year the moon and sun line up to push the sea higher than usual. "
        "Here is what that means for the streets behind the old wall.",
        "tags": ["Climate", "Seawall", "Oceans"],
        "body": [
            "A king tide is not a storm. It is an unusually high tide that happens when the "
            "moon is closest to the Earth and lines up with the sun, adding their pull on the "
            "oceans together.",
            "In Harborview the difference is about forty centimetres above an ordinary spring "
            "tide. On a calm day that is harmless. With an onshore wind and low pressure, it "
            "is enough to push water through the drains of Quayside and into its streets.",
            "The city's tide gauge has recorded king-tide flooding on nine days this year, "
            "up from two a decade ago.",
            # Rich blocks, in the body vocabulary (articles/body/vocabulary.py).
            (
                "html",
                '<figure class="pullquote"><blockquote><p>Forty centimetres is nothing on a '
                "calm day. With the wind behind it, it is the whole of Quayside.</p></blockquote>"
                "<figcaption>Priya Raman, chief coastal engineer</figcaption></figure>",
            ),
            ("h2", "When the next king tides come"),
            (
                "html",
                "<table><caption>Predicted king tides at the harbour gauge</caption>"
                "<tr><th>Date</th><th>High water</th><th>Height above datum</th></tr>"
                "<tr><td>14 January</td><td>07:42</td><td>5.31 m</td></tr>"
                "<tr><td>12 February</td><td>08:15</td><td>5.28 m</td></tr>"
                "<tr><td>10 August</td><td>19:58</td><td>5.35 m</td></tr></table>",
            ),
            "The gauge publishes a reading every six minutes as open data. Each line gives the "
            "time, the measured level and the level the tide tables predicted:",
            (
                "html",
                "<pre><code>time,level_m,predicted_m\n2026-01-14T07:36Z,5.24,5.18\n"
                "2026-01-14T07:42Z,5.31,5.21\n2026-01-14T07:48Z,5.29,5.20</code></pre>",
            ),
            "The streets that flood first are on the map below, behind the fish market.",
            ("html", "<p>https://www.openstreetmap.org/#map=16/53.5436/9.9668</p>"),
        ],
        "hours_ago": 30,
    },
    {
        "slug": "port-authority-dredging-plan",
        "section": "business",
        "authors": ["tomas-reyes"],
        "title": "Port authority unveils dredging plan to win back container ships",
        "dek": "Deeper channels would let the largest vessels call at Harborview again, "
        "but fishermen fear for the estuary.",
        "tags": ["Port", "Shipping", "Oceans"],
        "body": [
            "The port authority wants to deepen the main channel by two metres, a project it "
            "says would bring back the largest container ships that have bypassed the city "
            "since 2019.",
            "The plan would cost 95 million and take three years. The authority estimates it "
            "would support 1,200 jobs at the terminals and in logistics.",
            "The estuary fishermen's association says dredging on that scale would disturb "
            "the spawning grounds its members depend on, and has asked for an independent "
            "environmental review.",
        ],
        "hours_ago": 44,
        "related": ["fishing-fleet-quotas"],
    },
    {
        "slug": "fishing-fleet-quotas",
        "section": "business",
        "authors": ["tomas-reyes", "harborview-wire"],
        "title": "Harborview's fishing fleet faces smaller quotas for a third year",
        "dek": "New limits on cod and haddock cut the catch by a fifth. Skippers say some "
        "boats will not survive the winter.",
        "tags": ["Fishing", "Oceans", "Jobs"],
        "body": [
            "The regional fisheries board has cut next year's cod quota by 21 per cent and "
            "haddock by 14 per cent, citing surveys that show stocks still below safe levels.",
            "Harborview's fleet of 46 boats has already shrunk by a quarter since 2020. The "
            "skippers' cooperative says it will ask for a hardship fund.",
        ],
        "hours_ago": 70,
    },
    {
        "slug": "mayor-election-debate",
        "section": "politics",
        "authors": ["daniel-okafor"],
        "title": "Mayoral rivals clash over housing in first televised debate",
        "dek": "The incumbent defended her record on new homes; her challenger called it "
        "\u201ca plan for cranes, not for people\u201d.",
        "tags": ["Election", "Housing", "City Council"],
        "body": [
            "Housing dominated the first debate of the mayoral campaign, with both candidates "
            "promising thousands of new homes and disagreeing about almost everything else.",
            "Mayor Helen Achterberg pointed to 6,400 homes approved in her first term. Her "
            "challenger, councillor Rafael Duarte, said fewer than half had been built and "
            "that rents had risen faster than anywhere else in the region.",
            ("h2", "The seawall, again"),
            "Both candidates said they would protect Quayside from flooding. Neither said "
            "how they would pay for it.",
        ],
        "hours_ago": 8,
        "related": ["rents-rise-again", "council-approves-emergency-flood-budget"],
    },
    {
        "slug": "rents-rise-again",
        "section": "city",
        "authors": ["maria-lopez"],
        "title": "Rents rise again as new flats stand empty",
        "dek": "Average rents in Harborview went up 7 per cent this year, while one in ten "
        "new-build flats has no tenant.",
        "tags": ["Housing", "City Council"],
        "body": [
            "Figures from the city's housing office show the average monthly rent for a "
            "two-bedroom flat reached 1,380 in September, up 7 per cent on last year.",
            "At the same time, 640 flats in new developments along the river are empty, many "
            "of them bought as investments. Tenant groups want the council to tax homes left "
            "vacant for more than six months.",
        ],
        "hours_ago": 52,
    },
    {
        "slug": "parliament-coastal-funding-bill",
        "section": "politics",
        "authors": ["daniel-okafor"],
        "title": "Coastal towns win more flood money in parliament vote",
        "dek": "A cross-party amendment doubles the national flood fund's budget for "
        "harbour defences over the next five years.",
        "tags": ["Parliament", "Climate", "Seawall"],
        "body": [
            "MPs from coastal constituencies joined forces to pass an amendment that raises "
            "the national flood fund's harbour budget from 1.2 billion to 2.4 billion.",
            "Harborview's MP said the vote could cut the city's share of the seawall bill by "
            "as much as 60 million, though the fund's rules on matching money are unchanged.",
        ],
        "hours_ago": 26,
        "related": ["the-tide-is-coming-harborview-seawall"],
    },
    {
        "slug": "school-meals-pilot",
        "section": "city",
        "authors": ["maria-lopez", "harborview-wire"],
        "title": "Free school meals pilot extended to every primary school",
        "dek": "The scheme, trialled in six schools last year, will reach 14,000 children from January.",
        "tags": ["Schools", "City Council", "Budget"],
        "body": [
            "Every primary school in Harborview will offer free lunches from January after "
            "the council extended a pilot that ran in six schools last year.",
            "Head teachers in the pilot reported better attendance in the afternoon and fewer "
            "children sent home unwell.",
        ],
        "hours_ago": 96,
    },
    {
        "slug": "shipyard-reopens-electric-ferries",
        "section": "business",
        "authors": ["tomas-reyes"],
        "kicker": "Exclusive",
        "title": "Old shipyard to reopen building electric ferries",
        "dek": "A Nordic shipbuilder has agreed to lease the Dock Street yard, closed since "
        "2011, to build battery ferries for the coastal routes.",
        "tags": ["Shipping", "Jobs", "Port", "Energy"],
        "body": [
            "The Dock Street shipyard, whose closure cost 900 jobs in 2011, will build ships "
            "again. The newsroom has learned that a Nordic builder of electric ferries has "
            "signed a twenty-year lease and expects to hire 300 people by 2028.",
            "The first order is for four battery ferries for the island routes, which would "
            "replace diesel boats that are among the city's largest sources of air pollution.",
            ("quote", "My father built ships here. I never thought my son would get the chance."),
        ],
        "hours_ago": 5,
        "related": ["port-authority-dredging-plan", "harbour-air-quality-study"],
    },
    {
        "slug": "harbour-air-quality-study",
        "section": "science",
        "authors": ["ingrid-sorensen"],
        "title": "Ferries and cruise ships behind harbour's dirty air, study finds",
        "dek": "University researchers traced two-thirds of the fine particles in the old "
        "town to ships running their engines at berth.",
        "tags": ["Air Quality", "Shipping", "Health"],
        "body": [
            "A year of measurements by the university's atmospheric chemistry group shows "
            "that ships at berth are the largest source of fine particles in the old town, "
            "ahead of road traffic.",
            "The researchers recommend shore power, which lets ships plug into the grid "
            "instead of running their engines. The port says it will install connections at "
            "two cruise berths next year.",
        ],
        "hours_ago": 60,
    },
    {
        "slug": "seagrass-meadows-return",
        "section": "science",
        "authors": ["ingrid-sorensen"],
        "title": "Seagrass meadows return to the estuary after forty years",
        "dek": "Divers have mapped six hectares of new seagrass, a sign the cleaner water "
        "of the past decade is paying off.",
        "tags": ["Oceans", "Nature", "Climate"],
        "body": [
            "Volunteer divers have found seagrass growing across six hectares of the inner "
            "estuary, where it vanished in the 1980s.",
            "Seagrass shelters young fish and stores carbon in the seabed. Scientists credit "
            "the new sewage works, which cut the nutrients that once clouded the water.",
        ],
        "hours_ago": 120,
        "related": ["port-authority-dredging-plan"],
    },
    {
        "slug": "hospital-waiting-times",
        "section": "science",
        "authors": ["harborview-wire"],
        "title": "Emergency waiting times fall at St Brendan's",
        "dek": "Nine in ten patients were seen within four hours in October, the best figure in three years.",
        "tags": ["Health"],
        "body": [
            "St Brendan's Hospital said 90.4 per cent of emergency patients were seen within "
            "four hours in October, up from 81 per cent a year earlier.",
            "The hospital credits a new urgent care centre that treats minor injuries "
            "without an emergency department visit.",
        ],
        "hours_ago": 28,
    },
    {
        "slug": "jazz-festival-lineup",
        "section": "culture",
        "authors": ["aiko-tanaka"],
        "title": "Harbour Jazz Festival announces its biggest line-up yet",
        "dek": "Forty acts over four days, with free concerts on the quay and a late-night "
        "stage in the old fish market.",
        "tags": ["Music", "Festivals"],
        "body": [
            "The Harbour Jazz Festival returns in June with forty acts, from local big bands "
            "to a quartet making its first tour outside Brazil.",
            "For the first time, the old fish market will host a late-night stage. Half of "
            "the concerts on the quay are free.",
        ],
        "hours_ago": 36,
        "related": ["bookshop-saved-by-readers"],
    },
    {
        "slug": "bookshop-saved-by-readers",
        "section": "culture",
        "authors": ["aiko-tanaka"],
        "title": "The bookshop its readers would not let close",
        "dek": "When Marlowe's lost its lease, 2,300 customers bought shares to keep it "
        "open. A year on, it is turning a profit.",
        "tags": ["Books", "Small Business"],
        "body": [
            "Marlowe's has sold books on Ropewalk Lane since 1964. Last year its landlord "
            "announced the building would become flats, and the shop had three months to go.",
            "Instead, its readers bought the building. A community share offer raised 1.1 "
            "million in seven weeks, and the shop is now owned by 2,300 of its customers.",
            "\u201cPeople don't only buy books here,\u201d says manager Ruth Abara. \u201cThey "
            "meet, they argue, they fall in love. You can't get that delivered.\u201d",
        ],
        "hours_ago": 75,
    },
    {
        "slug": "theatre-review-the-lighthouse-keepers",
        "section": "culture",
        "authors": ["aiko-tanaka"],
        "kicker": "Review",
        "title": "The Lighthouse Keepers: a quiet play that roars",
        "dek": "The Playhouse's new production turns three men and a lamp into the best "
        "evening of theatre this year.",
        "tags": ["Theatre", "Reviews"],
        "body": [
            "Nothing much happens in The Lighthouse Keepers, and that is its triumph. Three "
            "men tend a light on a rock for a winter, and slowly, without a single raised "
            "voice, the audience learns what each of them has run away from.",
            "The staging is spare: one revolving tower, a sea made of light. The performances "
            "are anything but. Go.",
        ],
        "hours_ago": 100,
    },
    {
        "slug": "harborview-fc-promotion",
        "section": "sport",
        "authors": ["sam-whitfield"],
        "title": "Harborview FC one win from promotion after derby victory",
        "dek": "A stoppage-time header sealed a 2-1 win over Millbrook and sent 8,000 fans home dreaming.",
        "tags": ["Football", "Harborview FC"],
        "body": [
            "Harborview FC are one win away from promotion for the first time in 23 years "
            "after Jonah Mensah's header in the fourth minute of stoppage time beat Millbrook "
            "2-1.",
            "A win at home to Castleford next Saturday will seal second place. The club says "
            "the match sold out within an hour.",
        ],
        "hours_ago": 14,
        "related": ["rowing-club-centenary"],
    },
    {
        "slug": "rowing-club-centenary",
        "section": "sport",
        "authors": ["sam-whitfield"],
        "title": "Harbour Rowing Club marks a century on the water",
        "dek": "From wooden boats to Olympic medals: the club that taught half the city to "
        "row celebrates its hundredth year.",
        "tags": ["Rowing", "History"],
        "body": [
            "The Harbour Rowing Club launched its first boat in 1926, a borrowed wooden four "
            "with a leak. A hundred years later it has 600 members, two Olympic medallists and "
            "a waiting list for its junior squad.",
            "The centenary regatta will be held on the estuary in May.",
        ],
        "hours_ago": 150,
    },
    {
        "slug": "marathon-route-changes",
        "section": "sport",
        "authors": ["harborview-wire"],
        "title": "Marathon route moves away from the harbour front",
        "dek": "Organisers have redrawn the course to avoid the seawall works.",
        "tags": ["Running", "Seawall"],
        "body": [
            "This year's Harborview marathon will not run along the harbour front, where "
            "temporary flood barriers are due to be installed. The new route adds a loop "
            "through Riverside Park.",
        ],
        "hours_ago": 48,
    },
    {
        "slug": "tram-extension-consultation",
        "section": "city",
        "authors": ["maria-lopez"],
        "title": "Have your say on the tram line to the airport",
        "dek": "Three routes are on the table for the long-promised extension. The "
        "consultation closes on 31 January.",
        "tags": ["Transport", "City Council", "Infrastructure"],
        "body": [
            "The city has published three possible routes for extending the tram to the "
            "airport: along the ring road, through the Northgate estate, or beside the "
            "railway.",
            "The Northgate route would serve the most people but means closing the high "
            "street for two years during construction.",
        ],
        "hours_ago": 84,
    },
    {
        "slug": "energy-cooperative-solar-roofs",
        "section": "business",
        "authors": ["tomas-reyes"],
        "title": "Energy cooperative puts solar panels on 200 warehouse roofs",
        "dek": "The scheme, owned by 4,000 residents, now generates a tenth of the "
        "electricity the port uses.",
        "tags": ["Energy", "Climate", "Port"],
        "body": [
            "Harbour Energy, a cooperative owned by 4,000 residents, has finished fitting "
            "solar panels to 200 warehouse roofs in the port, making it the largest rooftop "
            "solar scheme in the region.",
            "Members receive a share of the profits, and the warehouses buy their power at "
            "a fixed price below the market rate.",
        ],
        "hours_ago": 110,
    },
    {
        "slug": "opinion-who-pays-for-the-wall",
        "section": "politics",
        "authors": ["daniel-okafor"],
        "kicker": "Analysis",
        "title": "Who pays for the wall is the question this election must answer",
        "dek": "Every candidate wants to save Quayside. The one who tells voters the bill "
        "deserves their attention.",
        "tags": ["Election", "Seawall", "Budget"],
        "body": [
            "There is a reason the seawall came up so briefly in last week's debate. Any "
            "honest answer about paying for it loses votes somewhere.",
            "A levy on waterfront property would fall on people who already face the "
            "greatest risk. Borrowing passes the cost to the next council. Waiting for the "
            "national fund means waiting while the cracks widen.",
        ],
        "hours_ago": 2,
        "related": ["the-tide-is-coming-harborview-seawall", "mayor-election-debate"],
    },
    {
        "slug": "library-late-opening",
        "section": "city",
        "authors": ["harborview-wire"],
        "title": "Central library to open until 10pm on weeknights",
        "dek": "Longer hours start next month, paid for by a grant from a local trust.",
        "tags": ["Books", "City Council"],
        "body": [
            "Harborview Central Library will stay open until 10pm from Monday to Thursday "
            "from next month, after a local trust agreed to pay for evening staff.",
        ],
        "hours_ago": 130,
    },
    {
        "slug": "budget-preview-next-year",
        "section": "politics",
        "authors": ["daniel-okafor", "maria-lopez"],
        "title": "Next year's city budget: what to watch for",
        "dek": "Flood defences, school meals and the tram will compete for the same money. "
        "This article goes live when the budget papers are published.",
        "tags": ["Budget", "City Council"],
        "body": [
            "The city's draft budget will be published at noon. Here is what we will be looking for.",
        ],
        # Scheduled: readers cannot see it until its time comes.
        "hours_ago": -20,
    },
    {
        "slug": "draft-investigation-harbour-contracts",
        "section": "cover-story",
        "authors": ["tomas-reyes", "maria-lopez"],
        "title": "[Draft] Who won the harbour contracts",
        "dek": "Work in progress: not for publication.",
        "tags": ["Port", "City Council"],
        "body": ["Notes and interviews so far."],
        "hours_ago": None,
        "status": "draft",
    },
]
