// The YAML library behind one module, so code paths that need it can load it on demand (a separate chunk).
export { stringify } from 'yaml';
