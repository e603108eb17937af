import { h, replaceChildren } from './dom';
import { sentenceOf } from './errors';
import { adminPage } from './pages/admin';
import { loginPage, signupPage } from './pages/auth';
import { roomPage, roomsPage } from './pages/chat';
import { ordersPage } from './pages/orders';
import { productPage, shopPage } from './pages/shop';
import { type AppContext, matchRoute, type PageView, type Route } from './router';

/** Every page and who may see it. */
export const ROUTES: readonly Route[] = [
  { pattern: '/', page: shopPage },
  { pattern: '/products/{id}', page: productPage },
  { pattern: '/orders', page: ordersPage, access: 'user' },
  { pattern: '/chat', page: roomsPage, access: 'user' },
  { pattern: '/chat/{roomId}', page: roomPage, access: 'user' },
  { pattern: '/admin', page: adminPage, access: 'admin' },
  { pattern: '/login', page: loginPage },
  { pattern: '/signup', page: signupPage },
];

/**
 * The application shell: the navigation (what it offers depends on who is signed in; "Admin" only
 * for admins) and the page of the current path, re-rendered on navigation without reloading. Links
 * marked `data-link` navigate through the History API; the server answers every path with
 * `index.html` (SPA fallback), so any page can also be loaded directly.
 *
 * @example
 * ```ts
 * const app = new App(document.getElementById('app')!, { api, session, live, config });
 * app.start();
 * ```
 */
export class App {
  readonly #root: HTMLElement;
  readonly #context: AppContext;
  readonly #nav = h('nav', { 'aria-label': 'Main' });
  readonly #main = h('main', {});
  #page: PageView | undefined;
  #notice: string | undefined;

  constructor(root: HTMLElement, services: Omit<AppContext, 'navigate' | 'takeNotice'>) {
    this.#root = root;
    this.#context = {
      ...services,
      navigate: (path, notice) => this.navigate(path, notice),
      takeNotice: () => {
        const notice = this.#notice;
        this.#notice = undefined;
        return notice;
      },
    };
  }

  /** Renders the current path and follows navigation from then on. */
  start(): void {
    replaceChildren(this.#root, h('header', {}, this.#nav), this.#main);
    window.addEventListener('popstate', () => this.#render());
    document.addEventListener('click', (event) => {
      const link = (event.target as Element | null)?.closest?.('a[data-link]');
      if (!(link instanceof HTMLAnchorElement) || event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      this.navigate(link.getAttribute('href') ?? '/');
    });
    this.#context.session.onChange((user, reason) => {
      this.#renderNav();
      if (user === undefined && reason === 'expired') {
        this.navigate('/login', 'Your session has ended. Please log in again.');
      }
    });
    this.#render();
  }

  /** Goes to `path` (pushing a history entry) and renders its page. */
  navigate(path: string, notice?: string): void {
    this.#notice = notice;
    if (path !== `${location.pathname}${location.search}`) history.pushState(null, '', path);
    this.#render();
  }

  #render(): void {
    this.#page?.dispose?.();
    this.#page = undefined;
    this.#renderNav();
    const { session } = this.#context;
    const matched = matchRoute(ROUTES, location.pathname);
    if (matched === undefined) {
      this.#show({ title: 'Not found', element: h('section', {}, h('h1', {}, 'This page does not exist.')) });
      return;
    }
    const { route, params } = matched;
    if (route.access !== undefined && session.user === undefined) {
      const next = `${location.pathname}${location.search}`;
      history.replaceState(null, '', `/login?next=${encodeURIComponent(next)}`);
      this.#render();
      return;
    }
    if (route.access === 'admin' && !session.hasRole('admin')) {
      this.#show({
        title: 'Not allowed',
        element: h('section', {}, h('h1', {}, 'Only administrators can see this page.')),
      });
      return;
    }
    try {
      this.#show(route.page(this.#context, params, new URLSearchParams(location.search)));
    } catch (error) {
      this.#show({ title: 'Error', element: h('section', {}, h('p', { role: 'alert' }, sentenceOf(error))) });
    }
  }

  #show(page: PageView): void {
    this.#page = page;
    document.title = `${page.title} · Quanta`;
    const notice = this.#notice;
    this.#notice = undefined;
    replaceChildren(
      this.#main,
      notice !== undefined && h('p', { role: 'status', class: 'notice' }, notice),
      page.element,
    );
  }

  #renderNav(): void {
    const { session, api, live } = this.#context;
    const link = (href: string, text: string) =>
      h(
        'a',
        { href, 'data-link': true, 'aria-current': location.pathname === href ? 'page' : undefined },
        text,
      );
    const user = session.user;
    replaceChildren(
      this.#nav,
      h('a', { href: '/', 'data-link': true, class: 'brand' }, 'Quanta shop'),
      link('/', 'Products'),
      user !== undefined && link('/orders', 'My orders'),
      user !== undefined && link('/chat', 'Chat'),
      session.hasRole('admin') && link('/admin', 'Admin'),
      h('span', { class: 'spacer' }),
      user === undefined && link('/login', 'Log in'),
      user === undefined && link('/signup', 'Sign up'),
      user !== undefined &&
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              // The API revokes the session; whatever it answers, this tab forgets the tokens.
              const done = (): void => {
                live.stop();
                session.signOut('logout');
                this.navigate('/login', 'You are logged out.');
              };
              api.logout().then(done, done);
            },
          },
          'Log out',
        ),
    );
  }
}
