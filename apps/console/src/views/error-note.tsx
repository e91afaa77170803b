/** An error the person should read at once (announced by screen readers); nothing when there is none. */
export function ErrorNote({ message, about }: { message: string | undefined; about?: string }) {
  if (message === undefined) return null;
  return (
    <p role="alert" class="error">
      {about === undefined ? message : `${about}: ${message}`}
    </p>
  );
}
