/**
 * A few friendly comments the demo posts on a fresh database, so the threads and the
 * count badges have something to show. Keyed by article slug.
 */
export interface SampleComment {
  author: string;
  body: string;
  replies?: SampleComment[];
}

export const sampleComments: Record<string, SampleComment[]> = {
  'rooftop-meadows': [
    {
      author: 'Eileen M.',
      body: 'Thank you for coming up to see it! Sowing day is the second Saturday of September. Bring gloves, we will have the seed.',
      replies: [
        { author: 'Gareth', body: 'Put me down for it. Is there anything to do before then, like weeding?' },
        { author: 'Eileen M.', body: 'Very little, which is the beauty of it. We cut it once in late August and leave the cuttings for a week so the seed drops.' },
      ],
    },
    {
      author: 'Nadia',
      body: 'I take the early ferry every day and never knew this was up there. The bus depot roof would be perfect, it gets sun all afternoon.',
    },
  ],
  'quayside-cycle-lane': [
    {
      author: 'Pete on a Brompton',
      body: 'Rode it this morning. First time I have taken my daughter to the station by bike without holding my breath at the swing bridge.',
      replies: [{ author: 'Lou', body: 'Same here. The signals at the bridge are the best bit.' }],
    },
    {
      author: 'Margaret Hale',
      body: 'Fair play, it looks smart. Please sort out the bit by the fish market before someone gets squeezed by a lorry though.',
    },
  ],
  'shared-sourdough-starter': [
    {
      author: 'Josh',
      body: 'Mine has been going for four years now and it still smells like the bakery when I feed it. Best thing I ever got for free.',
      replies: [
        { author: 'Aisling (Crumb & Co)', body: 'That makes my day. Bring us a slice some time, we love seeing how it turns out in other ovens.' },
      ],
    },
  ],
  'perseids-from-the-harbour': [
    {
      author: 'Stargazer Sue',
      body: 'Counted 43 from Gull Point between midnight and two. A big green one at about 1.15 got a cheer from the whole car park.',
      replies: [{ author: 'Tom B.', body: 'We saw that one from the breakwater! Lit up the water.' }],
    },
    {
      author: 'Kit',
      body: 'Thanks to the society for letting the kids look at Saturn. My son has talked about nothing but rings since.',
    },
  ],
};
