// `@parley/widgets/comments`: the class alone, nothing defined (register it under any name).
export { ParleyComments } from '../components/comments/comments.ts';
