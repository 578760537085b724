// `@parley/widgets/related`: the class alone, nothing defined (register it under any name).
export { ParleyRelated } from '../components/related/related.ts';
