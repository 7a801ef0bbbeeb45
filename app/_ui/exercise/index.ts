export { ExercisePanel } from './exercise-panel';
export { ExerciseStarter } from './exercise-starter';
export { useReportScreenWidth } from './use-screen-width';
