/** One theme: a dense, quiet desktop look. Colour means something (red: abnormal or allergy; orange: low stock or expiring). */
import { createTheme, defaultVariantColorsResolver, parseThemeColor, type VariantColorsResolver } from '@mantine/core';

/**
 * "light" badges and alerts: a pale tint with the darkest shade as text, so small text keeps AA contrast (Mantine's
 * default light text is shade 6, under 4.5:1 on its tint for red, orange and green).
 */
/** Text on a pale tint where shade 9 itself is under 4.5:1 (orange-9 is 4.0:1 on white, green-9 4.2:1). */
const DARK_TEXT: Record<string, string> = { orange: '#9c3b00', green: '#1f6b30', yellow: '#7a5c00', lime: '#3f6212', cyan: '#0b6372' };

const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== 'light') return colors;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || !parsed.color) return colors;
  return {
    ...colors,
    background: `var(--mantine-color-${parsed.color}-0)`,
    hover: `var(--mantine-color-${parsed.color}-1)`,
    color: DARK_TEXT[parsed.color] ?? `var(--mantine-color-${parsed.color}-9)`,
    border: `1px solid var(--mantine-color-${parsed.color}-2)`,
  };
};

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'sm',
  variantColorResolver,
  fontSizes: { xs: '11px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
  headings: { sizes: { h1: { fontSize: '20px' }, h2: { fontSize: '16px' }, h3: { fontSize: '14px' } } },
  components: {
    TextInput: { defaultProps: { size: 'sm' } },
    Textarea: { defaultProps: { size: 'sm', autosize: true, minRows: 2 } },
    Select: { defaultProps: { size: 'sm' } },
    Button: { defaultProps: { size: 'sm' } },
    // Status words read as written ("locked", "pending"), not shouted.
    Badge: { defaultProps: { tt: 'none' } },
    // Notifications are closed with a labelled button (axe: button-name).
    // Links in text are told apart by more than colour (axe: link-in-text-block).
    Anchor: { defaultProps: { underline: 'always' } },
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Notification: {
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } },
      styles: { description: { color: 'var(--mantine-color-gray-8)' } },
    },
    Table: { defaultProps: { verticalSpacing: 4, horizontalSpacing: 'xs', fz: 'sm' } },
  },
});
