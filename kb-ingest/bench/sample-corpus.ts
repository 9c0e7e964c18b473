/** Plausible help-centre documents for the ingest benchmark: headings, paragraphs, lists. */
const TOPICS = [
  'shipping',
  'returns',
  'refunds',
  'payments',
  'warranty',
  'assembly',
  'gift cards',
  'accounts',
  'stores',
  'orders',
];
const SENTENCES = [
  'Orders placed before 2 pm leave the warehouse the same business day.',
  'You can follow every parcel from the Orders page of your account.',
  'Refunds are credited to the original payment method within 5 to 7 business days.',
  'Items must be unused and in their original packaging to be returned.',
  'Express delivery is available in most cities for an extra fee.',
  'Our technicians can assemble furniture at your home by appointment.',
  'Gift cards are valid for two years in every shop and online.',
  'Customer service answers on WhatsApp every day from 8 am to 10 pm.',
  'Electrical appliances carry a two-year manufacturer warranty.',
  'Keep your invoice: it is your proof of purchase for any claim.',
  'We never store your card number; payments go through certified providers.',
  'Large items are delivered by appointment with a two-hour window.',
];

export function sampleDocuments(
  count: number,
  sectionsPerDocument = 8,
): Array<{ source: string; text: string }> {
  const documents: Array<{ source: string; text: string }> = [];
  for (let d = 0; d < count; d++) {
    const topic = TOPICS[d % TOPICS.length]!;
    const lines = [`# ${topic} guide ${d}`];
    for (let s = 0; s < sectionsPerDocument; s++) {
      lines.push('', `## ${topic} question ${s}`);
      const paragraph: string[] = [];
      for (let k = 0; k < 6; k++) paragraph.push(SENTENCES[(d * 7 + s * 3 + k) % SENTENCES.length]!);
      lines.push(paragraph.join(' '), '', `- Reference ${d}-${s}`, `- Updated for season ${s % 4}`);
    }
    documents.push({ source: `guides/${topic}-${d}.md`, text: lines.join('\n') });
  }
  return documents;
}
