import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { clip } from "../../platform/text-table.js";
import { useTone } from "../theme.js";

export interface PanelProps {
  title: string;
  width: number;
  height: number;
  /** dims the border when another panel has the keys */
  active?: boolean;
  children?: ReactNode;
}

/** A bordered box of exactly `width` × `height` with a title line; children must fit inside. */
export function Panel({ title, width, height, active = false, children }: PanelProps) {
  const tone = useTone();
  if (height < 3) return <Box width={width} height={Math.max(0, height)} />;
  return (
    <Box
      width={width}
      height={height}
      flexDirection="column"
      borderStyle="round"
      borderColor={active ? tone("accent") : tone("muted")}
    >
      <Text bold color={tone("title")} wrap="truncate-end">
        {clip(title, width - 2)}
      </Text>
      {children}
    </Box>
  );
}

/** One line of text cut to `width`. */
export function Line({
  children,
  width,
  color,
  bold,
  dim,
  inverse,
}: {
  children: string;
  width: number;
  color?: string | undefined;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}) {
  return (
    <Text
      wrap="truncate-end"
      {...(color ? { color } : {})}
      {...(bold ? { bold } : {})}
      {...(dim ? { dimColor: true } : {})}
      {...(inverse ? { inverse } : {})}
    >
      {clip(children, width)}
    </Text>
  );
}
