// The console's entry: defines <parley-console> and its views (index.html mounts it).
import './components/console-app.ts';
