import { loginRequestSchema, signupRequestSchema } from '@quanta/contracts/identity';
import { field, h, statusLine } from '../dom';
import { invalidInputSentence, sentenceOf } from '../errors';
import type { Page } from '../router';

/** `/signup`: Email, Password, Display name, "Sign up"; then the log-in page. */
export const signupPage: Page = (app) => {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'new-password',
    minlength: 12,
    required: true,
  });
  const displayName = h('input', {
    type: 'text',
    name: 'displayName',
    autocomplete: 'nickname',
    required: true,
  });
  const error = statusLine('alert');
  const submit = h('button', { type: 'submit' }, 'Sign up');
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        const parsed = signupRequestSchema.safeParse({
          email: email.value,
          password: password.value,
          displayName: displayName.value,
        });
        if (!parsed.success) {
          error.textContent = invalidInputSentence(parsed.error.issues, {
            email: 'Email',
            password: 'Password',
            displayName: 'Display name',
          });
          return;
        }
        submit.disabled = true;
        error.textContent = '';
        app.api.signup(parsed.data).then(
          () =>
            app.navigate(`/login?email=${encodeURIComponent(parsed.data.email)}`, 'Account created. Log in.'),
          (failure: unknown) => {
            submit.disabled = false;
            error.textContent = sentenceOf(failure);
          },
        );
      },
    },
    field('Email', email),
    field('Password', password),
    field('Display name', displayName),
    error,
    submit,
  );
  return {
    title: 'Sign up',
    element: h(
      'section',
      { class: 'narrow' },
      h('h1', {}, 'Create an account'),
      form,
      h('p', {}, 'Already have one? ', h('a', { href: '/login', 'data-link': true }, 'Log in')),
    ),
  };
};

/** `/login`: Email, Password, "Log in"; then back where the person was going (`?next=`). */
export const loginPage: Page = (app, _params, query) => {
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    value: query.get('email') ?? undefined,
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = statusLine('alert');
  const submit = h('button', { type: 'submit' }, 'Log in');
  const next = query.get('next');
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        const parsed = loginRequestSchema.safeParse({ email: email.value, password: password.value });
        if (!parsed.success) {
          error.textContent = invalidInputSentence(parsed.error.issues, {
            email: 'Email',
            password: 'Password',
          });
          return;
        }
        submit.disabled = true;
        error.textContent = '';
        app.api.login(parsed.data).then(
          (tokens) => {
            app.session.signIn(tokens);
            app.navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/');
          },
          (failure: unknown) => {
            submit.disabled = false;
            error.textContent = sentenceOf(failure);
          },
        );
      },
    },
    field('Email', email),
    field('Password', password),
    error,
    submit,
  );
  return {
    title: 'Log in',
    element: h(
      'section',
      { class: 'narrow' },
      h('h1', {}, 'Log in'),
      form,
      h('p', {}, 'New here? ', h('a', { href: '/signup', 'data-link': true }, 'Create an account')),
    ),
  };
};
