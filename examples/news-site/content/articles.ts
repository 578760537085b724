/**
 * The Harbour Gazette's articles: the one source of truth for the static pages in `site/`
 * and for `articles.json`, the file the demo imports into Parley. Edit here, then run
 * `pnpm --filter @parley/example-news-site build`.
 *
 * The town, its people and its news are invented.
 */

export interface Article {
  /** File name under `site/articles/` and `site/images/`, without extension. */
  slug: string;
  title: string;
  /** One or two sentences under the headline; also the meta description. */
  standfirst: string;
  section: string;
  tags: string[];
  /** ISO 8601 with an offset. */
  publishedAt: string;
  byline: string;
  /** Alternative text for the illustration. */
  imageAlt: string;
  paragraphs: string[];
}

export const SITE_NAME = 'The Harbour Gazette';
export const SITE_TAGLINE = 'News from the quays, the hill and everything in between';

export const articles: Article[] = [
  // ── Green city ───────────────────────────────────────────────────────────
  {
    slug: 'rooftop-meadows',
    title: 'Wildflower meadows bloom on the ferry terminal roof',
    standfirst:
      'Three summers after the first seeds went in, the flat roof above the ferry terminal hums with bees, and the council wants more roofs like it.',
    section: 'Green City',
    tags: ['gardening', 'wildflowers', 'pollinators', 'green roofs', 'biodiversity'],
    publishedAt: '2025-06-14T07:30:00+01:00',
    byline: 'Mina Okafor',
    imageAlt: 'A flat roof covered in red and yellow wildflowers under a pale sky',
    paragraphs: [
      'Look up from the ticket hall at the ferry terminal this month and you will not see much. Climb the service stairs, though, and the grey roof that once held nothing but puddles is a knee-high meadow of oxeye daisies, bird\'s-foot trefoil and poppies.',
      'The roof was sown in 2022 by a group of volunteers from the harbour gardening club, using a shallow layer of crushed brick and sand rather than rich soil. "Wildflowers like it hungry," says club secretary Eileen Marr. "Give them compost and the grasses win. Give them rubble and you get this."',
      'A survey last month by students from the college counted nineteen species of bee and hoverfly on a single sunny afternoon. The meadow also soaks up heavy rain, which used to overflow the gutters above the taxi rank.',
      'The council\'s buildings committee has asked for a report on which of its other flat roofs could carry the weight. The library and the bus depot are first on the list. Volunteers say they will need more hands at sowing time in September, and seed from local meadows rather than packets.',
    ],
  },
  {
    slug: 'community-orchard',
    title: 'Empty lot on Rope Walk becomes the town\'s first community orchard',
    standfirst:
      'Twenty-four fruit trees, old local varieties among them, have been planted where a timber yard stood for sixty years.',
    section: 'Green City',
    tags: ['gardening', 'orchards', 'fruit trees', 'community', 'food growing'],
    publishedAt: '2025-03-02T09:00:00+00:00',
    byline: 'Tom Achterberg',
    imageAlt: 'Young fruit trees in rows on a grassy lot between terraced houses',
    paragraphs: [
      'For most of the last decade the lot at the bottom of Rope Walk was a fenced-off square of nettles and broken pallets. On Saturday more than eighty neighbours turned up with spades, and by lunchtime it was an orchard.',
      'The twenty-four trees include apples, pears, plums and a quince, chosen with help from the county\'s heritage fruit society. Several are grafted from a tree in a Rope Walk back garden that older residents remember as the "sailor\'s apple", a sharp cooker that keeps until spring.',
      'The land is leased to the residents\' association for a peppercorn rent. Anyone can pick the fruit once it comes, and a rota of volunteers will water the young trees through their first two summers, when most orchard losses happen.',
      'Organisers hope the orchard will also become a place to learn. Pruning and grafting workshops are planned for the winter, and the primary school on Chandler Street has adopted two trees of its own.',
    ],
  },
  {
    slug: 'street-tree-census',
    title: 'Volunteers count every street tree in the old town',
    standfirst:
      'A month-long census found 1,412 trees, a few surprises, and streets where shade is still a rarity.',
    section: 'Green City',
    tags: ['street trees', 'urban forest', 'volunteering', 'heat', 'biodiversity'],
    publishedAt: '2025-08-21T08:15:00+01:00',
    byline: 'Mina Okafor',
    imageAlt: 'A street of terraced houses lined with round green trees',
    paragraphs: [
      'Armed with tape measures, clipboards and a phone app, sixty volunteers spent August recording every tree growing on a public street in the old town. The final count is 1,412, from a ninety-year-old plane tree outside the customs house to saplings planted last winter.',
      'Each tree was measured at chest height and checked for damage. Limes and cherries are the most common, but the census also found a ginkgo nobody at the council knew about and a fig growing out of a harbour wall.',
      'The results are less cheerful on the streets around the bus station, where there are almost no trees at all. On the hottest afternoon of the summer, the pavement there measured nine degrees warmer than Linden Terrace, one of the leafiest streets in town.',
      'The map will be published online in the autumn, and the organisers want it to guide where the next trees go. "Planting where it is already green is easy," says coordinator Priya Nandakumar. "The point is to put shade where people wait for buses."',
    ],
  },

  // ── Getting around ───────────────────────────────────────────────────────
  {
    slug: 'quayside-cycle-lane',
    title: 'Protected cycle lane along the quayside opens after two years of work',
    standfirst:
      'The kerbed two-way track links the station to the marina, and early counts suggest people were waiting for it.',
    section: 'Getting Around',
    tags: ['cycling', 'bike lanes', 'transport', 'safety', 'quayside'],
    publishedAt: '2025-05-09T07:00:00+01:00',
    byline: 'Ravi Desai',
    imageAlt: 'A green cycle lane separated from the road by a low kerb, with boats behind',
    paragraphs: [
      'The last barrier came down on Thursday morning, and by nine o\'clock a steady stream of commuters, parents with trailers and at least one unicycle had tried out the new cycle lane along the quayside.',
      'The two-way track runs for 2.3 kilometres from the railway station to the marina, separated from traffic by a low kerb and, at the busiest junctions, by its own signals. It replaces painted lines that most riders said they did not trust.',
      'An automatic counter near the swing bridge recorded 1,870 bicycle trips on the first day, about three times the usual figure for that stretch. Traders along the quay had worried about losing parking, but two of the cafés say they are already busier.',
      'Not everything is finished. The section past the fish market narrows at delivery times, and the council admits the crossing at Custom House Square needs another look. A second phase, up the hill to the hospital, is due to be consulted on next year.',
    ],
  },
  {
    slug: 'cargo-bike-school-run',
    title: 'Cargo bikes are quietly taking over the school run',
    standfirst:
      'A lending scheme lets families borrow a cargo bike for a month. Many of them do not give it back willingly.',
    section: 'Getting Around',
    tags: ['cycling', 'cargo bikes', 'schools', 'families', 'transport'],
    publishedAt: '2025-09-18T08:00:00+01:00',
    byline: 'Ravi Desai',
    imageAlt: 'A cargo bike with a wooden box at the front carrying two small helmets',
    paragraphs: [
      'At half past eight outside St Brigid\'s primary, the bike racks are full and the overflow is parked along the railings: long-tail bikes with child seats, trikes with wooden boxes, and one that carries a cello.',
      'Many of them started with the town\'s cargo bike library, which lends bikes to families for four weeks at a time. Since it opened last spring, 140 households have borrowed one, and the organisers say about a third went on to buy their own.',
      'Parents describe the same surprise: the bike was quicker than the car for trips under three miles, once parking was counted. "I thought it would be a summer thing," says Joanne Pryce, who takes her twins to school in a box bike. "We rode it through February."',
      'The scheme is run by volunteers out of a former tyre shop, and its biggest problem is demand. There is a waiting list of more than fifty families, and the group is looking for funding for six more bikes and somewhere dry to keep them.',
    ],
  },
  {
    slug: 'night-buses-return',
    title: 'Night buses return to the hill routes after a three-year gap',
    standfirst:
      'Late-shift workers won a trial of hourly buses until two in the morning. Now the operator has to show enough people ride them.',
    section: 'Getting Around',
    tags: ['buses', 'public transport', 'night economy', 'workers', 'transport'],
    publishedAt: '2025-10-27T06:45:00+00:00',
    byline: 'Helen Quarrie',
    imageAlt: 'A lit double-decker bus climbing a hill under a dark blue sky with stars',
    paragraphs: [
      'For three years the last bus up to Highfield and Castle Hill left the harbour at a quarter past eleven. From Monday, hourly buses will run until two in the morning, for a one-year trial.',
      'The change follows a campaign led by hospital porters, cleaners and kitchen staff, who collected more than two thousand signatures. Many said they had been paying for taxis they could not afford, or walking home up the hill in the dark.',
      'The trial costs about £180,000 and is shared between the council and the bus company. To keep the service after next October, the operator says it needs an average of twelve passengers a journey.',
      'Campaigners are confident. "The people who need this bus are the people who keep the town running at night," says porter and organiser Dev Lalwani. "Tell your colleagues, and get on it."',
    ],
  },

  // ── Food & markets ───────────────────────────────────────────────────────
  {
    slug: 'fish-market-at-dawn',
    title: 'The fish market at dawn: a morning with the auctioneers',
    standfirst:
      'Before most of the town is awake, the day\'s catch is sold in twenty fast minutes. We stood on the wet floor to watch.',
    section: 'Food & Markets',
    tags: ['fish market', 'fishing', 'local food', 'harbour', 'markets'],
    publishedAt: '2025-04-11T06:00:00+01:00',
    byline: 'Tom Achterberg',
    imageAlt: 'Blue fish crates on ice with a row of hanging lamps above them',
    paragraphs: [
      'At ten to five the fish market is all noise and cold. Forklifts reverse between stacks of blue crates, hoses run across the floor, and the smell of the sea is strong enough to wake anyone.',
      'The auction starts at five sharp. Auctioneer Colm Reddy walks the rows with a clipboard and a voice that carries to the back wall, selling hake, plaice, crab and a few boxes of squid to buyers who bid with a nod or a lifted pen. The whole catch is gone in twenty minutes.',
      'Most of the fish leaves the harbour by lorry within the hour, but more of it is staying in town than a few years ago. Three restaurants and the fishmonger on Market Street now buy here directly, and the fishermen\'s cooperative sells to the public from a hatch on Saturday mornings.',
      'Reddy, who has worked the market for thirty-one years, is happy to see the locals back. "People ask for cod because they know it," he says. "Try the gurnard. It is cheaper, it is caught ten miles away, and it is delicious."',
    ],
  },
  {
    slug: 'shared-sourdough-starter',
    title: 'The bakery that shares its sourdough starter with the whole street',
    standfirst:
      'Every Saturday, Crumb & Co on Chandler Street gives away jars of the starter behind its loaves. Some of it has travelled a long way.',
    section: 'Food & Markets',
    tags: ['bakery', 'sourdough', 'bread', 'local food', 'community'],
    publishedAt: '2025-07-05T08:30:00+01:00',
    byline: 'Helen Quarrie',
    imageAlt: 'A round loaf of bread beside a glass jar of bubbling starter',
    paragraphs: [
      'Just inside the door of Crumb & Co there is a shelf of small glass jars with hand-written labels. Each one holds a few spoonfuls of the bakery\'s sourdough starter, and each one is free.',
      'Baker Aisling Byrne started giving the starter away during a long winter when neighbours kept asking how to bake at home. "You cannot buy this flavour in a packet," she says. "It is flour, water and eleven years of this building\'s air."',
      'She estimates she has handed out more than three thousand jars. Customers have sent photographs of loaves baked with it in Lisbon, Montreal and a research station in Antarctica. One regular keeps a map of them on the wall by the till.',
      'On the first Sunday of each month the bakery also runs a free class for beginners, where most questions, Byrne says, are really about patience. The next one is fully booked, but she promises to add more dates in the autumn.',
    ],
  },
  {
    slug: 'winter-market-seed-swap',
    title: 'Winter market adds a seed swap and a soup kitchen',
    standfirst:
      'The Saturday market under the old rope works is growing, with stalls for gardeners and a pay-what-you-can lunch.',
    section: 'Food & Markets',
    tags: ['markets', 'local food', 'gardening', 'seeds', 'community'],
    publishedAt: '2025-11-22T09:00:00+00:00',
    byline: 'Mina Okafor',
    imageAlt: 'Market stalls with striped awnings and strings of lights under an arched roof',
    paragraphs: [
      'The winter market under the arches of the old rope works reopens on Saturday with thirty-two stalls, its largest line-up yet, and two new corners that have little to do with shopping.',
      'The first is a seed swap run by the harbour gardening club. Bring seeds you saved from your own tomatoes, beans or flowers, and take home someone else\'s. Volunteers will be on hand to explain how to save seed properly, and which plants are worth the trouble.',
      'The second is a soup kitchen run with the community orchard and the food bank, serving a pay-what-you-can lunch from vegetables the stallholders could not sell. Last year\'s trial served more than four hundred bowls in six weeks.',
      'Market manager Joseph Adebayo says the aim is a market where people linger. "We want it to be somewhere you meet your neighbours," he says, "not just somewhere you buy cheese." The market runs every Saturday until the end of February.',
    ],
  },

  // ── Science & sky ────────────────────────────────────────────────────────
  {
    slug: 'perseids-from-the-harbour',
    title: 'Where to watch the Perseid meteor shower from the harbour',
    standfirst:
      'The year\'s most reliable meteor shower peaks this week. The astronomy society has picked the darkest spots within a short walk of town.',
    section: 'Science',
    tags: ['astronomy', 'meteor shower', 'night sky', 'dark skies', 'space'],
    publishedAt: '2025-08-10T12:00:00+01:00',
    byline: 'Dr Sam Whitlow',
    imageAlt: 'Streaks of meteors across a deep blue night sky above a dark headland',
    paragraphs: [
      'The Perseid meteor shower peaks on the night of Tuesday into Wednesday, when Earth passes through the densest part of the dust left behind by comet Swift–Tuttle. Under a dark sky, watchers can see dozens of meteors an hour.',
      'You do not need a telescope, or even binoculars. Find somewhere away from street lights, lie back, let your eyes adjust for twenty minutes, and look at the widest patch of sky you can see. Meteors can appear anywhere, though their trails point back towards the constellation Perseus in the north-east.',
      'The harbour astronomy society recommends the end of the north breakwater, the car park at Gull Point and the top field at Castle Hill, all of which are shielded from the worst of the town\'s lights. Members will be at Gull Point from ten o\'clock with a few telescopes pointed at Saturn.',
      'This year the Moon sets shortly after midnight, so the best hours are between then and dawn. Bring a blanket, a warm drink and patience: the brightest meteors often come in clusters after long quiet spells.',
    ],
  },
  {
    slug: 'tide-gauge-sea-level',
    title: 'A 150-year-old tide gauge joins the national sea-level network',
    standfirst:
      'The brass and timber gauge in the pier house has been recording the tide since 1875. Its records are now helping scientists measure how fast the sea is rising.',
    section: 'Science',
    tags: ['science', 'sea level', 'climate', 'history', 'harbour'],
    publishedAt: '2025-02-06T10:00:00+00:00',
    byline: 'Dr Sam Whitlow',
    imageAlt: 'A wooden pier house with a measuring scale in the water below it',
    paragraphs: [
      'Inside a small wooden house at the end of the old pier, a float in a well rises and falls with the tide, moving a pen across a slowly turning drum of paper. It has done this, with a few breaks for repairs, since 1875.',
      'The gauge is now being linked to the national sea-level network, with a modern radar sensor mounted beside the original. For a year the two will run side by side so that scientists can tie one hundred and fifty years of paper records to the new digital ones.',
      'Volunteers from the harbour history group have spent two winters typing up the old charts. Early results show the average sea level here has risen by about nineteen centimetres since the gauge was built, most of it in the last fifty years.',
      'The pier house will open to visitors on heritage weekend in September. "Long records like this are rare and precious," says oceanographer Dr Ines Carvalho, who leads the project. "The people who kept this gauge running had no idea how much we would need it."',
    ],
  },
  {
    slug: 'shoebox-satellite',
    title: 'Pupils\' shoebox-sized satellite sends its first signal home',
    standfirst:
      'Two years after they started building it, students at Harbour High heard their satellite pass overhead on a radio in the school car park.',
    section: 'Science',
    tags: ['space', 'satellites', 'schools', 'technology', 'radio'],
    publishedAt: '2025-12-03T15:00:00+00:00',
    byline: 'Ravi Desai',
    imageAlt: 'A small cube satellite with solar panels above the curve of the Earth',
    paragraphs: [
      'At 7.42 on Tuesday evening, a crowd of students, teachers and parents in the Harbour High car park went silent as a handheld radio crackled with a faint, rhythmic beeping. Their satellite, launched three days earlier, was talking to them.',
      'The CubeSat is ten centimetres on each side and weighs just over a kilogram. A team of fourteen pupils designed its power system, wrote its software and tested it in a borrowed vacuum chamber, with help from engineers at the university and a local radio club.',
      'Its job is modest: to measure temperature and radiation as it orbits, and to send the readings down to anyone with a simple antenna. The students have published instructions online so that other schools can listen in and share what they receive.',
      'The satellite should stay in orbit for about three years before it burns up. Physics teacher Anna Kowalczyk says the project has already done its real work. "Half of this team want to be engineers now," she says. "Two years ago most of them had never soldered anything."',
    ],
  },
];
