/** The platform table's keys (`sk` fixed per item type). */
export const platformKeys = {
  deny: (sessionId: string) => ({ pk: `DENY#${sessionId}`, sk: 'DENY' }),
  ticket: (ticketHash: string) => ({ pk: `TICKET#${ticketHash}`, sk: 'TICKET' }),
} as const;
