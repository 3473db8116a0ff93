import { createRouter, createWebHashHistory } from 'vue-router'
import ExperimentView from './views/ExperimentView.vue'
import HomeView from './views/HomeView.vue'
import RunView from './views/RunView.vue'
import SettingsView from './views/SettingsView.vue'

// Hash history: the desktop app loads index.html from file://, serve mode from one static file.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'home', component: HomeView },
    {
      path: '/experiments/:id(\\d+)',
      name: 'experiment',
      component: ExperimentView,
      props: (r) => ({ id: Number(r.params.id) })
    },
    {
      path: '/experiments/:id(\\d+)/runs/:runId(\\d+)',
      name: 'run',
      component: RunView,
      props: (r) => ({ experimentId: Number(r.params.id), runId: Number(r.params.runId) })
    },
    { path: '/settings', name: 'settings', component: SettingsView },
    { path: '/:pathMatch(.*)*', redirect: '/' }
  ]
})
