import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import type { PlannedLine } from '../../domain/planReservation';
import type { ActiveReservation, RefusedReservation, Reservation } from '../../domain/Reservation';
import type { ReleaseWrite, ReservationWrite, StockLedger } from '../../domain/StockLedger';

/**
 * In-memory {@link StockLedger} with the same conditions and rejection reports as the DynamoDB
 * one (checked and applied atomically: nothing awaits in between); `outbox` collects the events.
 */
export class InMemoryStockLedger implements StockLedger {
  readonly stock = new Map<string, number>();
  readonly reservations = new Map<string, Reservation>();
  readonly outbox: AnyEventEnvelope[] = [];
  /** Called before each reservation write (lets a test change the stock behind the service's back). */
  beforeReserve: (lines: readonly PlannedLine[]) => void = () => undefined;
  /** Number of reservation writes attempted. */
  reserveCalls = 0;
  /** Number of stock reads. */
  stockReads = 0;

  async reservation(orderId: string): Promise<Reservation | undefined> {
    return this.reservations.get(orderId);
  }

  async currentStock(productIds: readonly string[]): Promise<ReadonlyMap<string, number | undefined>> {
    this.stockReads++;
    return new Map(productIds.map((id) => [id, this.stock.get(id)]));
  }

  async reserve(
    reservation: ActiveReservation,
    lines: readonly PlannedLine[],
    events: readonly AnyEventEnvelope[],
  ): Promise<ReservationWrite> {
    this.reserveCalls++;
    this.beforeReserve(lines);
    const existing = this.reservations.get(reservation.orderId);
    if (existing !== undefined) return { kind: 'ORDER_TAKEN', reservation: existing };
    const stale = new Map<string, number | undefined>();
    for (const l of lines) {
      const units = this.stock.get(l.productId);
      if (units === undefined || !(l.depletes ? units === l.quantity : units > l.quantity))
        stale.set(l.productId, units);
    }
    if (stale.size > 0) return { kind: 'STALE', stock: stale };
    for (const l of lines) this.stock.set(l.productId, (this.stock.get(l.productId) ?? 0) - l.quantity);
    this.reservations.set(reservation.orderId, reservation);
    this.outbox.push(...events);
    return { kind: 'WRITTEN' };
  }

  async refuse(reservation: RefusedReservation): Promise<Exclude<ReservationWrite, { kind: 'STALE' }>> {
    const existing = this.reservations.get(reservation.orderId);
    if (existing !== undefined) return { kind: 'ORDER_TAKEN', reservation: existing };
    this.reservations.set(reservation.orderId, reservation);
    return { kind: 'WRITTEN' };
  }

  async release(reservation: ActiveReservation, releasedAt: string): Promise<ReleaseWrite> {
    if (this.reservations.get(reservation.orderId)?.status !== 'RESERVED') return 'STALE';
    for (const l of reservation.lines)
      this.stock.set(l.productId, (this.stock.get(l.productId) ?? 0) + l.quantity);
    this.reservations.set(reservation.orderId, {
      ...reservation,
      status: 'RELEASED',
      stockReturned: true,
      releasedAt,
    });
    return 'WRITTEN';
  }

  async tombstone(orderId: string, releasedAt: string): Promise<ReleaseWrite> {
    if (this.reservations.has(orderId)) return 'STALE';
    this.reservations.set(orderId, {
      status: 'RELEASED',
      orderId,
      lines: [],
      stockReturned: false,
      releasedAt,
    });
    return 'WRITTEN';
  }
}
