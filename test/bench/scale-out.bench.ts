// The scale-out benchmark lives with its test (test/scale); the runner looks for benchmarks here.
export { default } from '../scale/scale-out.bench-run.js';
