export { ExercisePanel } from './exercise-panel';
export { ExerciseStarter } from './exercise-starter';
