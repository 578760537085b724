// `@parley/widgets/count`: the class alone, nothing defined (register it under any name).
export { ParleyCount } from '../components/count/count.ts';
