export { CallMeter } from './CallMeter';
