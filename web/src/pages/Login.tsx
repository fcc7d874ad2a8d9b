/** Sign in with a username or an email and a password. */
import { useMutation } from '@tanstack/react-query';
import { LoginInput } from '@hmis/shared';
import { setSession, trpc } from '../trpc';
import { ErrorBox, Field, onSubmit, readForm, useForm } from '../ui';

export function Login() {
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      // The address stays as it is: after an expired session the user lands back where they were.
      onSuccess: (session) => setSession(session),
    }),
  );
  const form = useForm(LoginInput, login);
  // The schema reports a missing name under `username`; an email sign-in has the same field on screen.
  const loginError = form.errors.username ?? form.errors.email;

  return (
    <div className="login-page">
      <form
        className="login-card"
        noValidate
        onSubmit={onSubmit((el) => {
          const { login: name } = readForm(el);
          const password = String(new FormData(el).get('password') ?? ''); // as typed: spaces count
          if (!name) form.submit({ password });
          else form.submit(name.includes('@') ? { email: name, password } : { username: name, password });
        })}
      >
        <h1>
          <span className="brand-mark">+</span> HMIS
        </h1>
        <p className="muted">Hospital Management Information System</p>
        <ErrorBox problem={form.problem} />
        <Field label="Username or email" error={loginError}>
          <input name="login" autoComplete="username" autoFocus />
        </Field>
        <Field label="Password" error={form.errors.password}>
          <input name="password" type="password" autoComplete="current-password" />
        </Field>
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
